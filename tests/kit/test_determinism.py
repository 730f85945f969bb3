"""Same seeds, same everything: data, initial weights, batches and trained results."""

import torch

import d2lkit as d2l


def _seeded_run(model_cls, **model_kwargs):
    data = d2l.Data(num_train=60, num_val=30, num_inputs=8, batch_size=8, seed=5, shuffle_seed=6)
    model = model_cls(**model_kwargs, generator=torch.Generator().manual_seed(7))
    trainer = d2l.Trainer(max_epochs=3)
    trainer.fit(model, data)
    params = [
        t.detach().clone()
        for t in (model.get_w_b() if hasattr(model, "net") else (model.w, model.b))
    ]
    return params, trainer.history.to_dict()


def test_seeded_runs_are_bit_identical_whatever_the_global_rng():
    for model_cls, kwargs in [
        (d2l.WeightDecay, dict(wd=1.0, lr=0.05)),
        (d2l.WeightDecayScratch, dict(num_inputs=8, lambd=0.5, lr=0.05)),
    ]:
        torch.manual_seed(0)
        params_a, history_a = _seeded_run(model_cls, **kwargs)
        torch.manual_seed(123)
        params_b, history_b = _seeded_run(model_cls, **kwargs)
        assert all(torch.equal(a, b) for a, b in zip(params_a, params_b, strict=True))
        assert history_a == history_b


def test_manual_seed_before_fit_reproduces_a_book_style_run():
    data = d2l.Data(num_train=20, num_val=100, num_inputs=200, batch_size=5, seed=0)
    trainer = d2l.Trainer(max_epochs=2)
    results = []
    for _ in range(2):
        torch.manual_seed(42)
        model = d2l.WeightDecay(wd=3, lr=0.01)
        trainer.fit(model, data)
        results.append((model.get_w_b()[0].clone(), trainer.history.to_dict()))
    assert torch.equal(results[0][0], results[1][0])
    assert results[0][1] == results[1][1]
