"""Helpers for tests of two-factor sign-in: what an authenticator app would show."""

import time

from django_otp.oath import TOTP

from most.accounts import services


def code_of(device, steps=0):
    """The code the app shows now (steps=1: the next one, which the server takes too)."""
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    totp.time = time.time() + steps * device.step
    return f"{totp.token():0{device.digits}d}"


def wrong_code(device):
    """A code of six digits that none of the windows the server accepts would show."""
    right = {code_of(device, steps) for steps in (-1, 0, 1)}
    return next(f"{n:06d}" for n in range(1_000_000) if f"{n:06d}" not in right)


def enrolled(member):
    """Two-factor sign-in on for the member's user, set up through the services: the app's
    device (its current code used up) and the ten backup codes."""
    device = services.two_factor_setup(user=member.user)
    device, codes = services.two_factor_confirm(
        user=member.user, device=device, code=code_of(device)
    )
    return device, codes
