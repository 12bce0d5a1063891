"""The actor tree: each actor's top-level ancestor, and the actors in tree order."""

from __future__ import annotations

from ..dataset import DataSet

__all__ = ["actor_order", "roots"]


def roots(ds: DataSet) -> dict[str, str]:
    """Actor id → id of its top-level ancestor (itself for a top-level actor).

    Each actor is walked once (memoised), so a deep chain costs linear time; on a cycle, the
    actor where the walk came back round stands for the top.
    """
    parent = dict(zip(ds.actors["id"], ds.actors["parent"], strict=True))
    out: dict[str, str] = {}
    for aid in parent:
        path, seen, node = [], set(), aid
        while node not in out:
            path.append(node)
            seen.add(node)
            up = parent.get(node, "")
            if not up or up not in parent or up in seen:
                out[node] = node
                break
            node = up
        top = out[node]
        for member in path:
            out.setdefault(member, top)
    return out


def actor_order(ds: DataSet) -> list[str]:
    """Actor ids grouped by parent: each top-level actor followed by its descendants, depth first.

    Within a level, actors keep their order in actors.csv. The walk keeps its own stack, so a
    chain of any depth cannot exhaust Python's recursion limit.
    """
    top = [a for a, p in zip(ds.actors["id"], ds.actors["parent"], strict=True) if not p]
    out: list[str] = []
    seen: set[str] = set()
    for aid in top:
        stack = [aid]
        while stack:
            node = stack.pop()
            if node in seen:
                continue
            seen.add(node)
            out.append(node)
            stack.extend(reversed(ds.children.get(node, [])))
    out += [a for a in ds.actors["id"] if a not in seen]  # only on a cyclic tree
    return out
