"""``flask --app app roundtable ...``: seed, reset and user management."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from .agenda import programme_file
from .agenda.service import default_event, find_event, seed_default_event
from .extensions import db
from .models import ROLES, Event, User


def register_cli(app: Flask) -> None:
    @app.cli.group("roundtable")
    def group() -> None:
        """Manage the Roundtable event data."""

    @group.command("seed")
    def seed() -> None:
        """Create the built-in roundtable if no event exists yet."""
        if default_event() is not None:
            click.echo("An event already exists; use 'reset' to start again.")
            return
        event = seed_default_event()
        db.session.commit()
        click.echo(f"Seeded the built-in roundtable: event code {event.code}")

    @group.command("reset")
    @click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
    def reset(yes: bool) -> None:
        """Delete every event, answer and participant, then seed the built-in roundtable."""
        if not yes:
            click.confirm("This deletes every event, vote and participant. Go on?", abort=True)
        for event in db.session.scalars(select(Event)).all():
            db.session.delete(event)
        db.session.flush()
        event = seed_default_event()
        db.session.commit()
        click.echo(f"Reset done: event code {event.code}")

    @group.command("create-user")
    @click.argument("username")
    @click.option("--role", type=click.Choice(ROLES), default="facilitator")
    @click.password_option()
    def create_user(username: str, role: str, password: str) -> None:
        """Add a facilitator, moderator or admin."""
        if db.session.scalar(select(User).where(User.username == username)):
            raise click.ClickException(f"{username} already exists.")
        user = User(username=username, role=role)
        user.set_password(password)
        db.session.add(user)
        db.session.commit()
        click.echo(f"Created {role} {username}.")

    @group.command("export-programme")
    @click.argument("code")
    @click.argument("output", type=click.File("w", encoding="utf-8"), default="-")
    def export_programme(code: str, output) -> None:
        """Write an event's programme as a JSON file (docs/programme.md); '-' is the terminal."""
        event = find_event(code)
        if event is None:
            raise click.ClickException(f"There is no event with the code {code}.")
        output.write(programme_file.dumps(programme_file.export_programme(event)))

    @group.command("import-programme")
    @click.argument("source", type=click.File("rb"))
    def import_programme(source) -> None:
        """Create a new event from a programme file; a refused file creates nothing."""
        try:
            event = programme_file.import_programme(source.read())
        except programme_file.ProgrammeError as error:
            db.session.rollback()
            for problem in error.problems:
                click.echo(f"  {problem}", err=True)
            raise click.ClickException("The programme was not imported.") from None
        db.session.commit()
        click.echo(f"Imported {event.title!r}: event code {event.code}")

    @group.command("info")
    def info() -> None:
        """Show each event's code and projector key."""
        for event in db.session.scalars(select(Event)).all():
            click.echo(f"{event.code}  screen key {event.screen_key}  {event.title}")
