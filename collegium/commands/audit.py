"""The ``audit`` group: ``audit verify`` recomputes every hash chain (and, ``--against FILE
--public-key FILE.pub``, checks a signed checkpoint), ``audit keygen`` makes a signing key and
``audit checkpoint`` signs the chains' heads."""

from __future__ import annotations

import click

from collegium import Message
from collegium.commands.common import PROG, BadUsage, emit_json, open_engine, settings

__all__ = ["audit"]


@click.group()
def audit() -> None:
    """The tamper-evident log."""


@audit.command("verify")
@click.option(
    "--against",
    metavar="FILE",
    default=None,
    help="Also check a signed checkpoint: every chain it lists must still hold its head.",
)
@click.option(
    "--public-key",
    metavar="FILE.pub",
    default=None,
    help="The public key the checkpoint must be signed by (with --against).",
)
@click.pass_context
def audit_verify(ctx: click.Context, against: str | None, public_key: str | None) -> None:
    """Recompute every hash chain; exit 1 and name the first bad event if the log was altered."""
    from collegium._words import word

    if (against is None) != (public_key is None):
        raise BadUsage(Message("--against and --public-key go together"))
    if against is not None and public_key is not None:
        verify_against(ctx, against, public_key)
        return
    s = settings()
    with open_engine(writes=False) as engine:
        report = engine.verify_audit()
    if s.as_json:
        emit_json(report.to_dict(s.lang))
    elif report.problem is None:
        click.echo(word("audit_ok", s.lang, instances=report.instances, events=report.events))
    else:
        click.echo(word("audit_bad", s.lang, problem=report.problem.message(s.lang)))
    if not report.ok:
        if s.as_json:
            failed = Message("audit failed: {problem}", problem=report.problem)
            click.echo(f"{PROG}: error: {failed.say(s.lang)}", err=True)
        ctx.exit(1)


@audit.command("keygen")
@click.option(
    "--out",
    required=True,
    metavar="FILE",
    help="Where to write the signing key (mode 0600); its public key goes to FILE.pub.",
)
def keygen(out: str) -> None:
    """Make an Ed25519 key pair for signing checkpoints. Keep FILE off the database host; give
    verifiers FILE.pub."""
    from collegium import SigningKey
    from collegium._words import word

    key = SigningKey.generate()
    public = key.write(out)
    s = settings()
    if s.as_json:
        emit_json(
            {
                "ok": True,
                "key": out,
                "public_key_file": str(public),
                "public_key": key.public_key.hex,
            }
        )
    else:
        click.echo(word("key_written", s.lang, key=out, pub=public, hex=key.public_key.hex))


@audit.command("checkpoint")
@click.option("--key", "key_file", required=True, metavar="FILE", help="The signing key file.")
@click.option(
    "--out",
    required=True,
    metavar="FILE",
    help="Where to write the checkpoint (a new file; keep it off the database host).",
)
def checkpoint(key_file: str, out: str) -> None:
    """Verify the audit, then write every chain's head to FILE, signed. Exit 1, writing nothing, if
    the audit fails."""
    from collegium import SigningKey
    from collegium._words import word
    from collegium.commands.render import times

    key = SigningKey.read(key_file)
    s = settings()
    with open_engine(writes=False) as engine:
        signed = engine.checkpoint(key, out)
    if s.as_json:
        emit_json({"ok": True, "out": out, **signed.to_dict()})
    else:
        click.echo(
            word(
                "checkpoint_written",
                s.lang,
                out=out,
                chains=signed.chains,
                at=times().line(signed.created_at),
                root=signed.root,
                key=signed.public_key,
            )
        )


def verify_against(ctx: click.Context, against: str, public_key: str) -> None:
    """``audit verify --against``: the checkpoint's chains against the store, then the audit; exit 1
    if either fails."""
    from collegium import PublicKey
    from collegium._words import word
    from collegium.commands.render import times

    trusted = PublicKey.read(public_key)
    s = settings()
    with open_engine(writes=False) as engine:
        report = engine.verify_checkpoint(against, trusted)
    signed, audit = report.checkpoint, report.audit
    if s.as_json:
        emit_json(report.to_dict(s.lang))
    else:
        if report.changed:
            click.echo(
                word(
                    "checkpoint_bad",
                    s.lang,
                    at=times().line(signed.created_at),
                    chains=signed.chains,
                    changed=report.changed,
                )
            )
            for problem in report.problems:
                click.echo(f"  {problem.message(s.lang)}")
            more = report.changed - len(report.problems)
            if more:
                click.echo(word("checkpoint_more", s.lang, count=more))
        else:
            click.echo(
                word(
                    "checkpoint_ok",
                    s.lang,
                    at=times().line(signed.created_at),
                    chains=signed.chains,
                    root=signed.root,
                )
            )
        if audit.problem is None:
            click.echo(word("audit_ok", s.lang, instances=audit.instances, events=audit.events))
        else:
            click.echo(word("audit_bad", s.lang, problem=audit.problem.message(s.lang)))
    if not report.ok:
        if s.as_json:
            failed = (
                Message("checkpoint failed: {problem}", problem=report.problems[0])
                if report.problems
                else Message("audit failed: {problem}", problem=audit.problem)
            )
            click.echo(f"{PROG}: error: {failed.say(s.lang)}", err=True)
        ctx.exit(1)
