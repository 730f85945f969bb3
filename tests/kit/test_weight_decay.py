"""Weight decay: penalty gradient, ridge closed forms, scratch == concise, bias never decayed."""

import torch

import d2lkit as d2l


def test_l2_penalty_value_and_gradient_is_w():
    w = torch.tensor([[1.5], [-2.0], [0.25]], requires_grad=True)
    penalty = d2l.l2_penalty(w)
    torch.testing.assert_close(penalty, torch.linalg.norm(w.detach()) ** 2 / 2)
    penalty.backward()
    torch.testing.assert_close(w.grad, w.detach())


def test_scratch_converges_to_ridge_closed_form(ridge_data, ridge):
    torch.manual_seed(0)
    model = d2l.WeightDecayScratch(num_inputs=5, lambd=0.5, lr=0.5)
    d2l.Trainer(max_epochs=80).fit(model, ridge_data)
    w_star, b_star = ridge(*ridge_data.tensors(train=True), alpha=0.5)
    torch.testing.assert_close(model.w.detach().double(), w_star, atol=1e-4, rtol=0)
    torch.testing.assert_close(model.b.detach().double(), b_star, atol=1e-4, rtol=0)


def test_concise_converges_to_ridge_closed_form(ridge_data, ridge):
    # MSE has no 1/2, so wd * ||w||^2 / 2 added to it is the scratch objective (times 2)
    # with alpha = wd / 2.
    torch.manual_seed(0)
    model = d2l.WeightDecay(wd=1.0, lr=0.25)
    d2l.Trainer(max_epochs=80).fit(model, ridge_data)
    w, b = model.get_w_b()
    w_star, b_star = ridge(*ridge_data.tensors(train=True), alpha=0.5)
    torch.testing.assert_close(w.double(), w_star.T, atol=1e-4, rtol=0)
    torch.testing.assert_close(b.double(), b_star, atol=1e-4, rtol=0)


def test_scratch_and_concise_agree_step_for_step(minibatch_data):
    # Scratch gradient: grad(MSE)/2 + lambd*w; concise: grad(MSE) + wd*w. With
    # lambd = wd/2 and lr_scratch = 2*lr the updates coincide, bias included.
    wd, lr = 2.0, 0.01
    scratch = d2l.WeightDecayScratch(
        num_inputs=10, lambd=wd / 2, lr=2 * lr, generator=torch.Generator().manual_seed(0)
    )
    concise = d2l.WeightDecay(wd=wd, lr=lr)
    concise(torch.zeros(1, 10))
    with torch.no_grad():
        concise.net.weight.copy_(scratch.w.T)
    trainer = d2l.Trainer(max_epochs=5)
    trainer.fit(scratch, minibatch_data)
    trainer.fit(concise, minibatch_data)  # shuffle_seed: the same batches in the same order
    w, b = concise.get_w_b()
    assert not torch.equal(w, torch.zeros_like(w))
    torch.testing.assert_close(w, scratch.w.detach().T, atol=1e-6, rtol=1e-5)
    torch.testing.assert_close(b, scratch.b.detach(), atol=1e-6, rtol=1e-5)


def test_one_step_with_zero_gradient_decays_weight_only():
    wd, lr = 0.5, 0.1
    model = d2l.WeightDecay(wd=wd, lr=lr)
    model(torch.randn(2, 4))
    with torch.no_grad():
        model.net.bias.fill_(1.0)
    optim = model.configure_optimizers()
    for p in model.parameters():
        p.grad = torch.zeros_like(p)
    w0, b0 = (t.clone() for t in model.get_w_b())
    optim.step()
    w1, b1 = model.get_w_b()
    torch.testing.assert_close(w1, w0 - lr * wd * w0)
    assert torch.equal(b1, b0)


def test_huge_weight_decay_leaves_bias_free(ridge_data, ridge):
    # With the weight crushed toward 0 the best bias is near the mean label (0.7 here).
    # Decaying the bias as well would pull it toward 0; the ridge oracle leaves it free.
    wd = 50.0
    torch.manual_seed(0)
    model = d2l.WeightDecay(wd=wd, lr=0.02)
    d2l.Trainer(max_epochs=200).fit(model, ridge_data)
    w, b = model.get_w_b()
    X, y = (t.double() for t in ridge_data.tensors(train=True))
    w_star, b_star = ridge(X, y, alpha=wd / 2)
    # What decaying the bias too would converge to: ridge on [X, 1] with every entry penalised.
    A = torch.cat([X, torch.ones(len(X), 1, dtype=X.dtype)], dim=1)
    theta = torch.linalg.solve(
        A.T @ A / len(X) + wd / 2 * torch.eye(6, dtype=X.dtype), A.T @ y / len(X)
    )
    assert abs(b_star.item() - theta[-1].item()) > 0.1
    torch.testing.assert_close(w.double(), w_star.T, atol=1e-3, rtol=0)
    torch.testing.assert_close(b.double(), b_star, atol=1e-3, rtol=0)
