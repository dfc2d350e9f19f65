"""``flask --app app roundtable ...``: seed, reset and user management."""

from __future__ import annotations

import click
from flask import Flask
from sqlalchemy import select

from .agenda.service import default_event, seed_default_event
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

    @group.command("info")
    def info() -> None:
        """Show each event's code and projector key."""
        for event in db.session.scalars(select(Event)).all():
            click.echo(f"{event.code}  screen key {event.screen_key}  {event.title}")
