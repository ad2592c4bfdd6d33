from django.core.management.base import BaseCommand, CommandError

from most.audit.sealing import keys_rewrap


class Command(BaseCommand):
    help = (
        "Wrap every audit key again with the first master key of MOST_AUDIT_KEYS. Put a new key "
        "first, keep the old one after it, run this, then remove the old one."
    )

    def handle(self, *args, **options):
        rewrapped, unreadable = keys_rewrap()
        self.stdout.write(f"Wrapped again with the first master key: {rewrapped} key(s).")
        if unreadable:
            raise CommandError(
                f"{unreadable} key(s) are opened by none of the master keys given: keep the key "
                "that wrapped them in MOST_AUDIT_KEYS, or they stay unreadable."
            )
