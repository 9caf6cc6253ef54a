"""An incident and every party's account of it, kept together and shown one after another.

The first report opens the file; the other party answers with its own ``incident_report``
whose ``account_of`` names the first. Accounts from more than one party make the incident
DISPUTED: each is rendered exactly as its sender sent it, and none is endorsed.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from hotline.catalogue.errors import InvalidNotificationError, Issue
from hotline.catalogue.i18n import language
from hotline.catalogue.notifications import IncidentReport
from hotline.catalogue.render import Form, RenderContext, render

__all__ = ["Account", "IncidentFile"]

RULE = "=" * 72


@dataclass(frozen=True)
class Account:
    """One party's report of the incident, with the envelope facts it came with."""

    report: IncidentReport
    context: RenderContext


@dataclass(frozen=True)
class IncidentFile:
    """The opening report and the accounts that answer it, in the order received."""

    accounts: tuple[Account, ...]

    @classmethod
    def of(cls, accounts: Sequence[Account]) -> IncidentFile:
        """Check that every account after the first answers the first, and file them."""
        if not accounts:
            raise InvalidNotificationError([Issue("", "an incident file needs a report")])
        first = accounts[0]
        if first.report.account_of is not None or first.context.message_id is None:
            raise InvalidNotificationError(
                [Issue("account_of", "the first report must be a numbered, original report")]
            )
        for i, account in enumerate(accounts[1:], 2):
            ref = account.report.account_of
            if ref is None or str(ref) != first.context.message_id:
                raise InvalidNotificationError(
                    [
                        Issue(
                            "account_of",
                            f"account {i} must name the first report, {first.context.message_id}",
                        )
                    ]
                )
        return cls(tuple(accounts))

    @property
    def status(self) -> Literal["REPORTED", "DISPUTED"]:
        parties = {a.context.sender for a in self.accounts}
        return "DISPUTED" if len(parties) > 1 else "REPORTED"

    def render(self, *, lang: str = "en", form: Form = "readable") -> str:
        """The status, then every account in full, each under its own heading."""
        text = language(lang)
        lines = [text.t(f"incident.status.{self.status}"), ""]
        n = len(self.accounts)
        for i, account in enumerate(self.accounts, 1):
            heading = text.t(
                "incident.account",
                i=i,
                n=n,
                party=account.context.sender or text.t("hdr.unset"),
                number=account.context.message_id or text.t("hdr.unnumbered"),
            )
            lines += [
                RULE,
                heading,
                RULE,
                render(account.report, account.context, lang=lang, form=form),
            ]
        return "\n".join(lines)
