from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class OrganisationType(models.TextChoices):
    NGO = "ngo", _("Non-governmental organisation")
    SOCIAL_WORK_CENTRE = "social_work", _("Centre for social work")
    EMPLOYMENT_SERVICE = "employment", _("Employment service")
    GOVERNMENT_OFFICE = "government", _("Government office")
    MUNICIPALITY = "municipality", _("Municipality")
    SCHOOL = "school", _("School")
    HEALTH = "health", _("Health centre")
    EMPLOYER = "employer", _("Employer")
    INTERNATIONAL = "international", _("International organisation")


class Organisation(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    type = models.CharField(_("type"), max_length=20, choices=OrganisationType.choices)
    municipality = models.CharField(_("municipality"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    is_active = models.BooleanField(_("active"), default=True)
    # Administrators sign in with a second factor anyway (TWO_FACTOR_REQUIRED_FOR_ADMINS); an
    # organisation whose caseload calls for it asks the same of the members in these roles
    # (role codes; accounts/policy.py).
    two_factor_roles = models.JSONField(
        _("roles that sign in with a second factor"), default=list, blank=True
    )
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self):
        return self.name


class UserManager(BaseUserManager):
    use_in_migrations = True

    def create_user(self, email, password=None, **extra):
        if not email:
            raise ValueError("A user needs an e-mail address")
        user = self.model(email=self.normalize_email(email).lower(), **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self.create_user(email, password, **extra)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who works in Most; logs in with an e-mail address (stored lower-case)."""

    email = models.EmailField(_("e-mail"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(_("may use the Django admin"), default=False)
    date_joined = models.DateTimeField(default=timezone.now, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        ordering = ["full_name"]
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self):
        return self.full_name or self.email

    def clean(self):
        super().clean()
        self.email = self.email.strip().lower()


class Role(models.TextChoices):
    ADMIN = "admin", _("Administrator")
    COORDINATOR = "coordinator", _("Programme coordinator")
    CASEWORKER = "caseworker", _("Case worker")
    COUNSELLOR = "counsellor", _("Counsellor")
    MEDIATOR = "mediator", _("Intercultural mediator")
    TRAINER = "trainer", _("Trainer")
    ANALYST = "analyst", _("Analyst")
    VIEWER = "viewer", _("Viewer")


class Membership(models.Model):
    """A user's role in one organisation; a user may belong to several."""

    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    is_active = models.BooleanField(_("active"), default=True)
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        ordering = ["organisation__name"]
        constraints = [
            models.UniqueConstraint(fields=["user", "organisation"], name="one_role_per_org"),
        ]
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")

    def __str__(self):
        return f"{self.user} – {self.get_role_display()} @ {self.organisation}"
