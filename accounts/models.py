import uuid

from django.contrib.auth.models import AbstractBaseUser, BaseUserManager, PermissionsMixin
from django.db import models
from django.db.models.functions import Lower
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from django_otp.models import Device, DeviceManager

from accounts.emails import normalise_email
from accounts.roles import CAPABILITIES


class Language(models.TextChoices):
    DUTCH = "nl", "Nederlands"
    ENGLISH = "en", "English"


class Organisation(models.Model):
    class Kind(models.TextChoices):
        HOUSING_CORPORATION = "housing_corporation", "Woningcorporatie"
        WELFARE = "welfare", "Welzijnsorganisatie"
        BUURTTEAM = "buurtteam", "Buurtteam"
        MUNICIPALITY = "municipality", "Gemeente"
        OTHER = "other", "Anders"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    name = models.CharField(max_length=200, unique=True)
    kind = models.CharField(max_length=32, choices=Kind.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class UserManager(BaseUserManager["User"]):
    use_in_migrations = True

    def get_by_natural_key(self, username: str | None) -> "User":
        # An exact match on the normal form: iexact (UPPER in PostgreSQL) folds the dotless i
        # (U+0131) into `I` while the lockout counter does not (accounts/emails.py).
        return self.get(email=normalise_email(username or ""))

    def create_user(self, email: str, password: str | None = None, **fields: object) -> "User":
        """A user with `password`, or without a usable one when None (the user then sets it
        with a one-time code, accounts.services.credentials)."""
        if not email:
            raise ValueError("email is required")
        user = self.model(email=normalise_email(email), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_superuser(self, email: str, password: str | None = None, **fields: object) -> "User":
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        return self.create_user(email, password, **fields)


class User(AbstractBaseUser, PermissionsMixin):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    email = models.EmailField(max_length=254, unique=True)
    full_name = models.CharField(max_length=150, blank=True)
    organisation = models.ForeignKey(
        Organisation, null=True, blank=True, on_delete=models.PROTECT, related_name="users"
    )
    language = models.CharField(max_length=2, choices=Language.choices, default=Language.DUTCH)
    is_active = models.BooleanField(default=True)
    is_staff = models.BooleanField(default=False)
    date_joined = models.DateTimeField(default=timezone.now)
    # Raised whenever credentials are reset, a second factor changes or the account is
    # (de)activated. Part of the session fingerprint, so every earlier login session and Django
    # session ends at once, whichever path made the change (docs/adr/0015). A database trigger
    # raises it on every change of is_active and never lets it go back (docs/adr/0035).
    credential_epoch = models.PositiveIntegerField(default=0, editable=False)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [models.UniqueConstraint(Lower("email"), name="user_email_unique_ci")]
        permissions = CAPABILITIES
        ordering = ["email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @classmethod
    def normalize_username(cls, username: str) -> str:
        # Model.clean() (admin forms, full_clean) stores the same normal form as create_user.
        return normalise_email(username) if isinstance(username, str) else username

    def _get_session_auth_hash(self, secret: str | None = None) -> str:
        """The credential fingerprint: Django keeps a session only while it matches, and
        accounts.authentication does the same for every JWT login session. It changes with the
        password hash and with credential_epoch."""
        key_salt = "django.contrib.auth.models.AbstractBaseUser.get_session_auth_hash"
        value = f"{self.password}|{self.credential_epoch}"
        return salted_hmac(key_salt, value, secret=secret, algorithm="sha256").hexdigest()


class Team(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    organisation = models.ForeignKey(Organisation, on_delete=models.PROTECT, related_name="teams")
    name = models.CharField(max_length=200, unique=True)
    is_central = models.BooleanField(
        default=False, help_text="Receives signals for unmapped addresses and uncovered buurten."
    )
    is_active = models.BooleanField(default=True)
    members = models.ManyToManyField(User, through="TeamMembership", related_name="teams")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team")
        verbose_name_plural = _("teams")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_central"],
                condition=models.Q(is_central=True),
                name="team_single_central",
            )
        ]

    def __str__(self) -> str:
        return self.name


class TeamRole(models.TextChoices):
    """Someone's role in one team (where), next to their role group (what: accounts.roles.Role;
    docs/adr/0003)."""

    MEMBER = "member", _("Teamlid")
    COORDINATOR = "coordinator", _("Coördinator")


class TeamMembership(models.Model):
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="memberships")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=TeamRole.choices, default=TeamRole.MEMBER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("team membership")
        verbose_name_plural = _("team memberships")
        constraints = [models.UniqueConstraint(fields=["team", "user"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role})"


class MappingVersion(models.Model):
    """One import of the CBS postcode-house-number table; buurt borders change yearly."""

    label = models.CharField(max_length=64, unique=True, help_text="e.g. 2024 or demo-2024")
    source_name = models.CharField(max_length=255, blank=True)
    is_demo = models.BooleanField(default=False)
    is_active = models.BooleanField(default=False)
    imported_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("mapping version")
        verbose_name_plural = _("mapping versions")
        ordering = ["-imported_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_active"],
                condition=models.Q(is_active=True),
                name="mapping_single_active",
            )
        ]

    def __str__(self) -> str:
        return self.label + (" (demo)" if self.is_demo else "")


class Neighbourhood(models.Model):
    """A CBS buurt. Codes are stable identifiers; names are optional (the CBS table has none)."""

    code = models.CharField(max_length=10, unique=True, help_text="BU + 8 digits")
    name = models.CharField(max_length=200, blank=True)
    wijk_code = models.CharField(max_length=8, help_text="WK + 6 digits")
    wijk_name = models.CharField(max_length=200, blank=True)
    municipality_code = models.CharField(max_length=6, help_text="GM + 4 digits")
    municipality_name = models.CharField(max_length=200, blank=True)
    mapping_version = models.ForeignKey(
        MappingVersion,
        on_delete=models.PROTECT,
        related_name="neighbourhoods",
        help_text="The mapping this buurt was last seen in.",
    )

    class Meta:
        verbose_name = _("neighbourhood")
        verbose_name_plural = _("neighbourhoods")
        ordering = ["code"]
        indexes = [models.Index(fields=["wijk_code"])]

    def __str__(self) -> str:
        return f"{self.code} {self.name}".strip()


class AddressPoint(models.Model):
    """PC6 + house number to buurt, per mapping version. A PC6 can cross buurt borders."""

    mapping_version = models.ForeignKey(
        MappingVersion, on_delete=models.CASCADE, related_name="addresses"
    )
    postcode = models.CharField(max_length=6)
    house_number = models.PositiveIntegerField()
    neighbourhood = models.ForeignKey(Neighbourhood, on_delete=models.PROTECT)

    class Meta:
        verbose_name = _("address point")
        verbose_name_plural = _("address points")
        constraints = [
            models.UniqueConstraint(
                fields=["mapping_version", "postcode", "house_number"], name="address_point_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.postcode} {self.house_number}"


class TeamCoverage(models.Model):
    """Which team covers a buurt. Buurtteams do not line up with wijken, so this is per buurt."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="coverage")
    neighbourhood = models.OneToOneField(
        Neighbourhood, on_delete=models.CASCADE, related_name="coverage"
    )

    class Meta:
        verbose_name = _("team coverage")
        verbose_name_plural = _("team coverage")

    def __str__(self) -> str:
        return f"{self.team} covers {self.neighbourhood}"


class LoginSession(models.Model):
    """One login of one device. Every JWT carries its id; revoking it kills the tokens at once."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="login_sessions")
    created_at = models.DateTimeField(auto_now_add=True)
    last_refreshed_at = models.DateTimeField(null=True, blank=True)
    revoked_at = models.DateTimeField(null=True, blank=True)
    revoked_reason = models.CharField(max_length=32, blank=True)
    user_agent = models.CharField(max_length=255, blank=True)
    # The user's credential fingerprint at login (User.get_session_auth_hash): a password,
    # second-factor or activation change since then ends the session on its next request.
    credential_hash = models.CharField(max_length=64, blank=True, editable=False)

    class Meta:
        verbose_name = _("login session")
        verbose_name_plural = _("login sessions")
        indexes = [models.Index(fields=["user", "revoked_at"])]

    def __str__(self) -> str:
        return f"session {self.pk}"


class CredentialCode(models.Model):
    """A one-time code with which a user sets their own password after an admin reset their
    credentials or created the account. An admin hands it over out of band; only its keyed hash
    is stored. One outstanding code per user: issuing a new one replaces it."""

    class Purpose(models.TextChoices):
        ONBOARDING = "onboarding", "Nieuw account"
        RESET = "reset", "Inloggegevens gereset"
        SECOND_FACTOR = "second_factor", "Tweede factor gereset"

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="credential_code")
    code_hash = models.CharField(max_length=64)
    purpose = models.CharField(max_length=16, choices=Purpose.choices)
    issued_by_id = models.UUIDField(null=True, blank=True)  # plain id, like the access log
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    # Delivery by e-mail to the account holder (docs/adr/0034): the code is made by the sending
    # task, claimed in one short transaction and sent outside any; until it went out its hash is
    # empty, so nothing matches it. The admin sees only whether and when it was sent.
    queued_at = models.DateTimeField(default=timezone.now)
    claimed_until = models.DateTimeField(null=True, blank=True)
    send_attempts = models.PositiveSmallIntegerField(default=0)
    sent_at = models.DateTimeField(null=True, blank=True)
    last_error_code = models.CharField(max_length=48, blank=True)

    class Meta:
        verbose_name = _("credential code")
        verbose_name_plural = _("credential codes")

    def __str__(self) -> str:
        return f"{self.purpose} code for {self.user_id}"


class MembershipRequest(models.Model):
    """A team role asked for by an admin. It gives no access until a second person approves it
    (docs/adr/0034): only then is the TeamMembership made. A decided request stays as history."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Wacht op goedkeuring")
        APPROVED = "approved", _("Goedgekeurd")
        REFUSED = "refused", _("Afgewezen")

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="membership_requests")
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="membership_requests")
    role = models.CharField(max_length=16, choices=TeamRole.choices)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    requested_by = models.ForeignKey(
        User, null=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    decided_by = models.ForeignKey(
        User, null=True, blank=True, on_delete=models.SET_NULL, related_name="+", editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership request")
        verbose_name_plural = _("membership requests")
        ordering = ["created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["team", "user"],
                condition=models.Q(status="pending"),
                name="membership_request_single_pending",
            )
        ]

    def __str__(self) -> str:
        return f"{self.user} in {self.team} ({self.role}, {self.status})"


class OidcIdentityManager(DeviceManager):
    def devices_for_user(self, user: object, confirmed: bool | None = None) -> models.QuerySet:
        # Not an authenticator: django-otp's devices_for_user and user_has_device (enrolment,
        # the code step, "needs a second factor") never see it (docs/adr/0046).
        return self.none()


class OidcIdentity(Device):
    """A staff account's link to its subject at an organisation's OpenID Provider: the stable
    pair (issuer, subject), made once by the first login with a verified e-mail address
    (docs/adr/0046). It is also the django-otp device put in a browser session when the
    provider showed that its login used a second factor, so the session counts as verified as
    a TOTP login does (django-otp accepts only a `confirmed` device in a session). It verifies
    no codes and is no authenticator for the local login: its manager hides it from
    django-otp's devices_for_user and user_has_device."""

    issuer = models.CharField(max_length=255)
    subject = models.CharField(max_length=255)
    provider = models.CharField(max_length=64)
    linked_at = models.DateTimeField(default=timezone.now)

    objects = OidcIdentityManager()

    class Meta:
        verbose_name = _("identity provider link")
        verbose_name_plural = _("identity provider links")
        constraints = [
            models.UniqueConstraint(fields=["issuer", "subject"], name="oidc_identity_subject"),
            models.UniqueConstraint(fields=["user", "issuer"], name="oidc_identity_one_per_user"),
        ]

    def verify_token(self, token: object) -> bool:
        return False
