"""Assemblies, motions, elections, proxies and the votes cast on them.

Who voted and what was voted are kept apart: ``VoterRoll`` names the member; ``Ballot`` is the
ballot box, where a ballot waits with a random id, no time and no member; ``CountedBallot`` holds
the ballots taken out of the box in shuffled batches, which are counted and published once
voting closes. On a secret ballot the roll row and the ballot are written in two transactions,
and the box is emptied into the counted ballots every ``services.ballot_box.SHUFFLE_EVERY``
ballots and at the close, so that neither row order nor transaction ids pair a voter with a
ballot (see docs/governance.md for what this promises and what it does not). An open (named)
vote also copies the choice onto the roll, where the vote is public anyway.
"""

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from coopcare.billing.models import TariffVersion
from coopcare.cooperatives.fields import percent_field
from coopcare.cooperatives.models import Cooperative
from coopcare.governance import rules
from coopcare.members.models import Member, StakeholderClass
from coopcare.rostering.models import RosterPolicy
from coopcare.work.models import PayRules


class RankedMethod(models.TextChoices):
    SCOTTISH = "scottish", _("Scottish STV (SSI 2007/42)")
    MEEK = "meek", _("Meek STV")


class Statutes(models.Model):
    """The governance rules of a cooperative's statutes that the software applies.

    Defaults are common choices, each configurable: 15 days' notice of a general assembly,
    a quorum of a quarter of the members (half for an extraordinary assembly), two proxies per
    member (statutes often allow 1-2; Cercles.Coop allows 5), and votes for paid-up members.
    """

    cooperative = models.OneToOneField(
        Cooperative, on_delete=models.CASCADE, related_name="statutes"
    )
    notice_days_ordinary = models.PositiveIntegerField(
        _("notice of an ordinary assembly (days)"), default=15
    )
    notice_days_extraordinary = models.PositiveIntegerField(
        _("notice of an extraordinary assembly (days)"), default=15
    )
    notice_days_board = models.PositiveIntegerField(
        _("notice of a board meeting (days)"), default=3
    )
    quorum_ordinary = percent_field(_("quorum of an ordinary assembly (%)"), "25")
    quorum_extraordinary = percent_field(_("quorum of an extraordinary assembly (%)"), "50")
    quorum_board = percent_field(_("quorum of a board meeting (%)"), "50")
    quorum_online = percent_field(_("turnout needed in an online vote (%)"), "25")
    quorum_per_class = models.BooleanField(
        _("quorum in every stakeholder class"),
        default=False,
        help_text=_("The quorum must be reached in each class, not only overall."),
    )
    proxies_per_holder = models.PositiveIntegerField(
        _("proxies one member may hold"), default=2, validators=[MaxValueValidator(10)]
    )
    paid_up_to_vote = models.BooleanField(_("only members with paid-up shares vote"), default=True)
    abstaining_class_is_absent = models.BooleanField(
        _("a class where every voter abstained counts as absent"),
        default=True,
        help_text=_(
            "Ticked: its weight is shared among the other classes, as for a class where nobody "
            "voted. Unticked: it keeps its weight with no votes for, so its abstention counts "
            "against a motion."
        ),
    )
    secret_class_minimum = models.PositiveIntegerField(
        _("fewest ballots for a class to be shown separately in a secret vote"),
        default=2,
        validators=[MinValueValidator(2), MaxValueValidator(100)],
        help_text=_(
            "Classes with fewer ballots are merged with others in the results and the published "
            "ballots, so that nobody reads the vote of a lone voter."
        ),
    )
    ranked_method = models.CharField(
        _("counting of ranked elections"),
        max_length=20,
        choices=RankedMethod.choices,
        default=RankedMethod.SCOTTISH,
    )

    class Meta:
        verbose_name = _("statutes")
        verbose_name_plural = _("statutes")

    def __str__(self) -> str:
        return str(self.cooperative)


class AssemblyKind(models.TextChoices):
    ORDINARY = "ordinary", _("ordinary general assembly")
    EXTRAORDINARY = "extraordinary", _("extraordinary general assembly")
    BOARD = "board", _("board meeting")


class AssemblyStatus(models.TextChoices):
    CALLED = "called", _("called")
    IN_SESSION = "in_session", _("in session")
    CLOSED = "closed", _("closed")


class Assembly(models.Model):
    """A general assembly or a board meeting: called with notice, held, minuted."""

    cooperative = models.ForeignKey(
        Cooperative, on_delete=models.PROTECT, related_name="assemblies"
    )
    kind = models.CharField(_("kind"), max_length=20, choices=AssemblyKind.choices)
    title = models.CharField(_("title"), max_length=200)
    starts_at = models.DateTimeField(_("starts at"))
    place = models.CharField(_("place"), max_length=200, blank=True)
    online_link = models.URLField(_("link to join online"), blank=True)
    called_on = models.DateField(_("notice sent on"))
    called_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )
    status = models.CharField(
        _("status"), max_length=20, choices=AssemblyStatus.choices, default=AssemblyStatus.CALLED
    )
    opened_at = models.DateTimeField(null=True, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    minutes = models.TextField(_("minutes"), blank=True)
    minutes_published_at = models.DateTimeField(null=True, blank=True)
    minutes_published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("assembly")
        verbose_name_plural = _("assemblies")
        ordering = ["-starts_at"]

    def __str__(self) -> str:
        return self.title

    @property
    def join_link(self) -> str:
        """The link to join online, only if it is a web address: a link stored before links
        were checked is not rendered as one (``rules.link_problems``)."""
        return "" if rules.link_problems(self.online_link) else self.online_link


class AgendaItem(models.Model):
    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="agenda")
    position = models.PositiveIntegerField(_("position"))
    title = models.CharField(_("item"), max_length=200)
    details = models.TextField(_("details"), blank=True)

    class Meta:
        verbose_name = _("agenda item")
        verbose_name_plural = _("agenda items")
        ordering = ["assembly", "position"]

    def __str__(self) -> str:
        return self.title


class NoticeChannel(models.TextChoices):
    EMAIL = "email", _("email")
    POST = "post", _("post")


class AssemblyNotice(models.Model):
    """The notice of an assembly as sent to one member: the proof that they were called, on
    which day, how, and with which agenda. ``amendment`` 0 is the first notice; each amended
    notice (sent when the agenda changed) takes the next number. Never edited.

    A member without an email address is sent the notice by post: the row records that the
    board is to post them the printed letter."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="notices")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="assembly_notices")
    amendment = models.PositiveIntegerField(_("amended notice number"), default=0)
    sent_on = models.DateField(_("sent on"))
    sent_at = models.DateTimeField(default=timezone.now)
    channel = models.CharField(_("sent by"), max_length=10, choices=NoticeChannel.choices)
    email = models.EmailField(_("email"), blank=True)
    agenda = models.TextField(_("agenda as sent"), blank=True)
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("notice of an assembly")
        verbose_name_plural = _("notices of assemblies")
        ordering = ["assembly", "amendment", "member__full_name"]
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "member", "amendment"], name="one_notice_per_member"
            )
        ]

    def __str__(self) -> str:
        return f"{self.assembly} · {self.member}"


class AttendanceMode(models.TextChoices):
    IN_PERSON = "in_person", _("in person")
    ONLINE = "online", _("online")


class Attendance(models.Model):
    """A member present at an assembly. Their proxy, if they gave one, lapses on arrival."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="attendance")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="attendance")
    mode = models.CharField(_("present"), max_length=20, choices=AttendanceMode.choices)
    arrived_at = models.DateTimeField(default=timezone.now)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("attendance")
        verbose_name_plural = _("attendance")
        constraints = [models.UniqueConstraint(fields=["assembly", "member"], name="attends_once")]

    def __str__(self) -> str:
        return f"{self.member} · {self.get_mode_display()}"


class Proxy(models.Model):
    """A member's proxy to another member, for one assembly."""

    assembly = models.ForeignKey(Assembly, on_delete=models.CASCADE, related_name="proxies")
    giver = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="proxies_given")
    holder = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="proxies_held")
    given_at = models.DateTimeField(default=timezone.now)
    lapsed_at = models.DateTimeField(
        null=True, blank=True, help_text=_("Set when the giver attends or withdraws the proxy.")
    )

    class Meta:
        verbose_name = _("proxy")
        verbose_name_plural = _("proxies")
        constraints = [
            models.UniqueConstraint(
                fields=["assembly", "giver"],
                condition=Q(lapsed_at__isnull=True),
                name="one_live_proxy_per_giver",
            ),
            models.CheckConstraint(condition=~Q(giver=models.F("holder")), name="not_own_proxy"),
        ]

    def __str__(self) -> str:
        return f"{self.giver} → {self.holder}"


class QuestionStatus(models.TextChoices):
    DRAFT = "draft", _("draft")
    OPEN = "open", _("voting open")
    CLOSED = "closed", _("closed")


class PutToVote(models.Model):
    """What motions and elections share: who may vote, when, and openly or in secret."""

    cooperative = models.ForeignKey(Cooperative, on_delete=models.PROTECT, related_name="+")
    assembly = models.ForeignKey(
        Assembly,
        verbose_name=_("assembly"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="%(class)ss",
        help_text=_("Empty for an online vote between assemblies."),
    )
    position = models.PositiveIntegerField(default=0)
    title = models.CharField(_("title"), max_length=200)
    secret = models.BooleanField(_("secret ballot"), default=False)
    classes = models.ManyToManyField(
        StakeholderClass,
        verbose_name=_("stakeholder classes that vote"),
        blank=True,
        related_name="+",
        help_text=_("Leave empty for every class."),
    )
    min_days_member = models.PositiveIntegerField(_("days of membership needed to vote"), default=0)
    opens_at = models.DateTimeField(_("voting opens"), null=True, blank=True)
    closes_at = models.DateTimeField(_("voting closes"), null=True, blank=True)
    status = models.CharField(
        max_length=20, choices=QuestionStatus.choices, default=QuestionStatus.DRAFT
    )
    result = models.JSONField(default=dict, blank=True)
    closed_at = models.DateTimeField(null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+"
    )

    class Meta:
        abstract = True
        ordering = ["position", "pk"]

    def __str__(self) -> str:
        return self.title

    @property
    def online(self) -> bool:
        """Voted online by each member between assemblies, rather than in a session."""
        return self.assembly_id is None


class Majority(models.TextChoices):
    SIMPLE = "simple", _("more than half")
    TWO_THIRDS = "two_thirds", _("at least two thirds")
    THREE_QUARTERS = "three_quarters", _("at least three quarters")


class MajorityBase(models.TextChoices):
    CAST = "cast", _("of the votes cast (abstentions not counted)")
    MEMBERS = "members", _("of all members entitled to vote")


class EffectKind(models.TextChoices):
    NONE = "", _("no effect on operations")
    ROSTER_POLICY = "roster_policy", _("adopt a roster policy")
    TARIFF_VERSION = "tariff_version", _("adopt new prices of a tariff")
    PAY_RULES = "pay_rules", _("adopt new pay rules")


class Motion(PutToVote):
    """A proposal put to the vote, with the majority it needs and, optionally, an effect."""

    text = models.TextField(_("text"))
    original_text = models.TextField(blank=True, help_text=_("The text before amendments passed."))
    amends = models.ForeignKey(
        "self",
        verbose_name=_("amends"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="amendments",
    )
    majority = models.CharField(
        _("majority"), max_length=20, choices=Majority.choices, default=Majority.SIMPLE
    )
    base = models.CharField(
        _("counted"), max_length=20, choices=MajorityBase.choices, default=MajorityBase.CAST
    )
    effect_kind = models.CharField(
        _("effect"), max_length=30, choices=EffectKind.choices, default="", blank=True
    )
    effect = models.JSONField(default=dict, blank=True)
    effect_from = models.DateField(
        _("effect from"), null=True, blank=True, help_text=_("Empty: from the day it passes.")
    )
    passed = models.BooleanField(null=True)

    class Meta(PutToVote.Meta):
        verbose_name = _("motion")
        verbose_name_plural = _("motions")


class ElectionMethod(models.TextChoices):
    PLURALITY = "plurality", _("plurality (one name per ballot)")
    APPROVAL = "approval", _("approval (tick every candidate you support)")
    IRV = "irv", _("instant-runoff (rank the candidates)")
    STV = "stv", _("single transferable vote (rank the candidates)")


RANKED_METHODS = (ElectionMethod.IRV, ElectionMethod.STV)


class Election(PutToVote):
    """A board election: candidates, seats (some reserved per class) and a counting method."""

    seats = models.PositiveIntegerField(_("seats"), default=1, validators=[MinValueValidator(1)])
    method = models.CharField(_("method"), max_length=20, choices=ElectionMethod.choices)

    class Meta(PutToVote.Meta):
        verbose_name = _("election")
        verbose_name_plural = _("elections")


class SeatReservation(models.Model):
    """Seats the statutes reserve for candidates of one stakeholder class."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="reservations")
    stakeholder_class = models.ForeignKey(StakeholderClass, on_delete=models.PROTECT)
    seats = models.PositiveIntegerField(validators=[MinValueValidator(1)])

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["election", "stakeholder_class"], name="one_reservation_per_class"
            )
        ]

    def __str__(self) -> str:
        return f"{self.stakeholder_class}: {self.seats}"


class Candidate(models.Model):
    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="candidates")
    member = models.ForeignKey(Member, on_delete=models.PROTECT, related_name="candidacies")
    statement = models.TextField(_("statement"), blank=True)

    class Meta:
        ordering = ["election", "pk"]
        constraints = [models.UniqueConstraint(fields=["election", "member"], name="stands_once")]

    def __str__(self) -> str:
        return str(self.member)


class Choice(models.TextChoices):
    FOR = "for", _("for")
    AGAINST = "against", _("against")
    ABSTAIN = "abstain", _("abstain")


def _one_question():
    return models.CheckConstraint(
        condition=Q(motion__isnull=False, election__isnull=True)
        | Q(motion__isnull=True, election__isnull=False),
        name="%(class)s_on_one_question",
    )


def _once_per_member(on_motion: str, on_election: str) -> list:
    """One row per member and question, whichever kind of question it is."""
    return [
        models.UniqueConstraint(
            fields=["motion", "member"], condition=Q(motion__isnull=False), name=on_motion
        ),
        models.UniqueConstraint(
            fields=["election", "member"], condition=Q(election__isnull=False), name=on_election
        ),
    ]


class VoterRoll(models.Model):
    """That a member voted (and, for an open vote only, how). One row per member and question:
    the database refuses a second vote even from simultaneous requests.

    ``member`` and ``cast_by`` are empty once the vote's retention period is over: the row
    stays, so the number who voted is the same, but no longer says who (docs/privacy.md)."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, null=True, related_name="roll")
    election = models.ForeignKey(Election, on_delete=models.CASCADE, null=True, related_name="roll")
    member = models.ForeignKey(
        Member, on_delete=models.PROTECT, null=True, blank=True, related_name="votes_cast"
    )
    cast_by = models.ForeignKey(
        Member,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("The proxy holder, or the member."),
    )
    cast_at = models.DateTimeField(default=timezone.now)
    # Named votes only; always empty on a secret ballot.
    choice = models.CharField(max_length=10, choices=Choice.choices, blank=True)
    ranking = models.JSONField(default=list, blank=True)

    class Meta:
        constraints = [_one_question(), *_once_per_member("votes_once", "elects_once")]

    def __str__(self) -> str:
        return f"{self.member} · {self.motion or self.election}"


class _BallotContent(models.Model):
    """What a ballot holds, never who cast it: a random id, the voter's class (for the weighted
    tally), the choice and the tracker the voter alone was shown. No member, no user, no time."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, null=True, related_name="+")
    election = models.ForeignKey(Election, on_delete=models.CASCADE, null=True, related_name="+")
    stakeholder_class = models.ForeignKey(
        StakeholderClass, on_delete=models.PROTECT, related_name="+"
    )
    choice = models.CharField(max_length=10, choices=Choice.choices, blank=True)
    ranking = models.JSONField(default=list, blank=True)
    tracker = models.CharField(max_length=20, unique=True)

    class Meta:
        abstract = True
        ordering = ["tracker"]  # never the order of casting
        constraints = [_one_question()]

    def __str__(self) -> str:
        return self.tracker


class Ballot(_BallotContent):
    """A ballot in the box: cast, not yet shuffled out. The box holds fewer than
    ``services.ballot_box.SHUFFLE_EVERY`` ballots of a question at any time and is empty once it
    closes."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, null=True, related_name="box")
    election = models.ForeignKey(Election, on_delete=models.CASCADE, null=True, related_name="box")

    class Meta(_BallotContent.Meta):
        verbose_name = _("ballot in the box")
        verbose_name_plural = _("ballots in the box")


class CountedBallot(_BallotContent):
    """A ballot taken out of the box in a shuffled batch: counted and published (by its
    tracker) once voting closes. Every batch rewrites all the question's counted ballots in a
    new random order with new ids, so no batch can be told from another."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, null=True, related_name="ballots")
    election = models.ForeignKey(
        Election, on_delete=models.CASCADE, null=True, related_name="ballots"
    )

    class Meta(_BallotContent.Meta):
        verbose_name = _("counted ballot")
        verbose_name_plural = _("counted ballots")


class VoteReminder(models.Model):
    """A reminder sent to a member who had not yet voted online, so each is sent once."""

    motion = models.ForeignKey(Motion, on_delete=models.CASCADE, null=True, related_name="+")
    election = models.ForeignKey(Election, on_delete=models.CASCADE, null=True, related_name="+")
    member = models.ForeignKey(Member, on_delete=models.CASCADE, related_name="+")
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            _one_question(),
            *_once_per_member("reminded_once", "reminded_once_election"),
        ]

    def __str__(self) -> str:
        return f"{self.member} · {self.sent_at}"


class Decision(models.Model):
    """What a passed motion changed in operations, from which day: links the vote to the
    policy, tariff or pay rules version it wrote, or says why it could not be written."""

    motion = models.OneToOneField(Motion, on_delete=models.PROTECT, related_name="decision")
    effective_from = models.DateField()
    roster_policy = models.OneToOneField(
        RosterPolicy, on_delete=models.PROTECT, null=True, related_name="decision"
    )
    tariff_version = models.OneToOneField(
        TariffVersion, on_delete=models.PROTECT, null=True, related_name="decision"
    )
    pay_rules = models.OneToOneField(
        PayRules, on_delete=models.PROTECT, null=True, related_name="decision"
    )
    not_applied = models.TextField(
        _("not applied because"),
        blank=True,
        help_text=_("Why the effect the motion carried could not be written when it passed."),
    )
    recorded_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("decision")
        verbose_name_plural = _("decisions")

    def __str__(self) -> str:
        return f"{self.motion} · {self.effective_from}"


class LotPurpose(models.TextChoices):
    """What a lot decides in a ranked count (the words of ``coopcare.votecount``)."""

    EXCLUDE = "exclude", _("who is excluded")
    SURPLUS = "surplus", _("whose surplus is transferred first")
    ELECT = "elect", _("who is elected first")


class Lot(models.Model):
    """The outcome of a lot drawn by the board when a ranked count ended in a tie that the
    rules leave to lot (e.g. SSI 2007/42 Schedule 1 rule 51(2)(b)): who drew it, when, and
    which of the tied candidates it chose. The count is run again with every lot recorded, in
    the order the count asked for them."""

    election = models.ForeignKey(Election, on_delete=models.CASCADE, related_name="lots")
    number = models.PositiveIntegerField(_("lot number"), validators=[MinValueValidator(1)])
    purpose = models.CharField(_("what the lot decides"), max_length=20, choices=LotPurpose.choices)
    stage = models.PositiveIntegerField(_("stage of the count"))
    among = models.ManyToManyField(Candidate, related_name="+", verbose_name=_("tied candidates"))
    chosen = models.ForeignKey(
        Candidate, on_delete=models.PROTECT, related_name="+", verbose_name=_("chosen by the lot")
    )
    drawn_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    drawn_at = models.DateTimeField(_("recorded at"), default=timezone.now)

    class Meta:
        verbose_name = _("lot")
        verbose_name_plural = _("lots")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="one_lot_per_number")
        ]

    def __str__(self) -> str:
        return f"{self.election} · {self.number}: {self.chosen}"
