"""The signed checkpoints on the command line: ``audit keygen``, ``audit checkpoint``, and what
``audit verify --against FILE --public-key FILE.pub`` adds to the audit (:mod:`collegium.cli` holds
``audit verify`` itself and registers the two commands here)."""

from __future__ import annotations

import click

from collegium._cli_common import PROG, emit_json, open_engine, settings


@click.command("keygen")
@click.option("--out", required=True, metavar="FILE",
              help="Where to write the signing key (mode 0600); its public key goes to FILE.pub.")
def keygen(out: str) -> None:
    """Make an Ed25519 key pair for signing checkpoints. Keep FILE off the database host; give
    verifiers FILE.pub."""
    from collegium._render import word
    from collegium.engine.keys import SigningKey

    key = SigningKey.generate()
    public = key.write(out)
    s = settings()
    if s.as_json:
        emit_json({"ok": True, "key": out, "public_key_file": str(public),
                   "public_key": key.public_key.hex})
    else:
        click.echo(word("key_written", s.lang, key=out, pub=public, hex=key.public_key.hex))


@click.command("checkpoint")
@click.option("--key", "key_file", required=True, metavar="FILE", help="The signing key file.")
@click.option("--out", required=True, metavar="FILE",
              help="Where to write the checkpoint (a new file; keep it off the database host).")
def checkpoint(key_file: str, out: str) -> None:
    """Verify the audit, then write every chain's head to FILE, signed. Exit 1, writing nothing, if
    the audit fails."""
    from collegium._render import word
    from collegium.engine.keys import SigningKey

    key = SigningKey.read(key_file)
    s = settings()
    with open_engine() as engine:
        signed = engine.checkpoint(key, out)
    if s.as_json:
        emit_json({"ok": True, "out": out, **signed.to_dict()})
    else:
        click.echo(word("checkpoint_written", s.lang, out=out, chains=signed.chains,
                        at=signed.created_at, root=signed.root, key=signed.public_key))


def verify_against(ctx: click.Context, against: str, public_key: str) -> None:
    """``audit verify --against``: the checkpoint's chains against the store, then the audit; exit 1
    if either fails."""
    from collegium._render import word
    from collegium.engine.keys import PublicKey

    trusted = PublicKey.read(public_key)
    s = settings()
    with open_engine() as engine:
        report = engine.verify_checkpoint(against, trusted)
    signed, audit = report.checkpoint, report.audit
    if s.as_json:
        emit_json(report.to_dict())
    else:
        if report.changed:
            click.echo(word("checkpoint_bad", s.lang, at=signed.created_at, chains=signed.chains,
                            changed=report.changed))
            for problem in report.problems:
                click.echo(f"  {problem}")
            more = report.changed - len(report.problems)
            if more:
                click.echo(word("checkpoint_more", s.lang, count=more))
        else:
            click.echo(word("checkpoint_ok", s.lang, at=signed.created_at, chains=signed.chains,
                            root=signed.root))
        if audit.ok:
            click.echo(word("audit_ok", s.lang, instances=audit.instances, events=audit.events))
        else:
            click.echo(word("audit_bad", s.lang, problem=str(audit.problem)))
    if not report.ok:
        if s.as_json:
            first = report.problems[0] if report.problems else audit.problem
            what = "checkpoint" if report.problems else "audit"
            click.echo(f"{PROG}: error: {what} failed: {first}", err=True)
        ctx.exit(1)
