"""Pagination whose cost does not grow with the table.

``db.paginate`` counts every matching row for the page total, and a
COUNT over a million attempts costs more than the page. Here the count
stops a few pages past the current one: the pager still knows whether
there is a next page, and the total reads "1000+" when there are more.
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
import sqlalchemy.orm as sa_orm
from flask_sqlalchemy.pagination import SelectPagination

from .extensions import db

LOOKAHEAD_PAGES = 10


class BoundedPagination(SelectPagination):
    def _query_items(self) -> list[Any]:
        if not self._query_args.get("rows"):
            return super()._query_items()
        # a select of columns (a list page's own row shape): the rows as they come, not their first column
        select = self._query_args["select"].limit(self.per_page).offset(self._query_offset)
        return list(self._query_args["session"].connection().execute(select))  # Core: see reads.py

    def _query_count(self) -> int:
        cap = self._query_offset + self.per_page * LOOKAHEAD_PAGES
        known = self._query_args.get("known_total")
        if known is None:
            known = self._count_up_to(cap + 1)
        # known_total: the caller counted these rows already (and shows that count), the same cap applies
        self.capped = known > cap
        return min(known, cap)

    def _count_up_to(self, limit: int) -> int:
        session = self._query_args["session"]
        counted = self._query_args.get("counted")
        if counted is not None:
            # a plain select of the rows' keys: counted as given, run by Core (see reads.py)
            sub = counted.limit(limit).subquery()
            return session.connection().execute(sa.select(sa.func.count()).select_from(sub)).scalar() or 0
        # one constant column: counting must not read the rows (an attempt's result is kilobytes of JSON)
        sub = (
            self._query_args["select"]
            .options(sa_orm.lazyload("*"))
            .with_only_columns(sa.literal(1), maintain_column_froms=True)
            .order_by(None)
            .limit(limit)
            .subquery()
        )
        return session.execute(sa.select(sa.func.count()).select_from(sub)).scalar() or 0

    @property
    def total_label(self) -> str:
        """The total as shown: exact, or "N+" when counting stopped early."""
        return f"{self.total}+" if getattr(self, "capped", False) else str(self.total)


def paginate(select: sa.Select, *, per_page: int, page: int | None = None, rows: bool = False,
             counted: sa.Select | None = None, known_total: int | None = None, **kwargs: Any) -> BoundedPagination:
    """Like ``db.paginate`` (page from ``?page=``), with a bounded count.

    ``rows``: ``select`` names columns, and the items are its rows.
    ``counted``: the same rows to count, without the joins that only add columns and without
    an order (one narrow column, e.g. the key).
    ``known_total``: their exact number, counted by the caller: no second count.
    """
    return BoundedPagination(
        select=select, session=db.session(), page=page, per_page=per_page, error_out=False, rows=rows,
        counted=counted, known_total=known_total, **kwargs
    )
