"""Hyperparameter bookkeeping shared by boards, modules, data modules and trainers."""

import inspect

__all__ = ["HyperParameters", "add_to_class"]


def add_to_class(Class):
    """Decorator that attaches a function to `Class` as a method.

    The book builds its classes cell by cell this way. Unlike the book's helper we return the
    function, so the decorated name stays usable in the notebook instead of becoming None.
    """

    def register(obj):
        setattr(Class, obj.__name__, obj)
        return obj

    return register


class HyperParameters:
    """Mixin that turns constructor arguments into attributes."""

    def save_hyperparameters(self, ignore=()):
        """Copy the calling function's arguments onto `self` and into `self.hparams`.

        Only the caller's parameters are taken (positional, keyword-only and the items of
        `**kwargs`), with the values they hold at the time of the call, so helper variables
        computed earlier in `__init__` are never swept up. Names in `ignore`, `self` and
        names starting with an underscore are skipped.
        """
        skip = {ignore} if isinstance(ignore, str) else set(ignore)
        skip.add("self")
        frame = inspect.currentframe().f_back
        try:
            info = inspect.getargvalues(frame)
        finally:
            # Frames hold references to every local; dropping ours avoids a reference cycle.
            del frame
        params = {name: info.locals[name] for name in info.args if name in info.locals}
        if info.keywords is not None:
            params.update(info.locals.get(info.keywords, {}))
        hparams = {k: v for k, v in params.items() if k not in skip and not k.startswith("_")}
        self.hparams = hparams
        for name, value in hparams.items():
            setattr(self, name, value)
