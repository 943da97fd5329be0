"""The demo's data protection: the ``family`` login's relative asked to see her data (open,
due in a few weeks), another person's son asked for a copy to take elsewhere and the office
is past its month, a carer asked for her records and had them, a member objected to the
newsletter and a restriction was lifted; two breaches, one notified in time and one whose 72
hours are running; and last month a carer read a record she does not visit, late at night,
for the coordinators' review of unusual reads."""

from datetime import date, datetime, time, timedelta

from django.utils import timezone

from coopcare.care.access import log_read
from coopcare.care.models import CareRecordRead
from coopcare.demo.family import family_grant
from coopcare.members.models import Member
from coopcare.privacy import services
from coopcare.privacy.models import PersonalDataBreach, RightsRequest


class PrivacySeeder:
    def __init__(self, today: date, cooperative, coordinator, carers):
        self.today = today
        self.cooperative = cooperative
        self.coordinator = coordinator
        self.carers = carers

    def at(self, days_ago: int, hour: int, minute: int = 0) -> datetime:
        return timezone.make_aware(
            datetime.combine(self.today - timedelta(days=days_ago), time(hour, minute))
        )

    def receive(self, kind: str, ago: int, name: str, details: str, **subject):
        return services.receive_request(
            self.cooperative,
            kind=kind,
            by=self.coordinator,
            requester_name=name,
            received_on=self.today - timedelta(days=ago),
            details=details,
            **subject,
        )

    def run(self, people) -> dict[str, int]:
        grant = family_grant(self.cooperative, revoked_on__isnull=True)
        first, second = people[0], people[1]
        if grant is not None:
            services.receive_request(
                self.cooperative,
                kind="access",
                by=grant.user,
                requester_name=grant.full_name,
                received_on=self.today - timedelta(days=6),
                details="Who has read my mother's file since she started with you?",
                person=grant.person,
            )
        self.receive(
            "portability",
            40,
            "Her son, by email",
            "A copy of the care record to give to the new provider in Modena.",
            person=second,
        )
        carer = self.carers[0]
        answered = self.receive(
            "access", 50, carer.get_full_name(), "My contracts and certificates.", carer=carer
        )
        services.answer_request(
            answered, by=self.coordinator, answer="Sent by email as a JSON file, with a summary."
        )
        member = Member.objects.filter(cooperative=self.cooperative).order_by("pk").first()
        if member is not None:
            objection = self.receive(
                "objection",
                30,
                member.full_name,
                "No more fundraising letters, please.",
                member=member,
            )
            services.answer_request(
                objection,
                by=self.coordinator,
                answer="Removed from the fundraising list; the notices of assemblies continue, "
                "as the law requires.",
            )
        restriction = self.receive(
            "restriction",
            20,
            first.full_name,
            "Please stop using my record while you check the wrong diagnosis in it.",
            person=first,
        )
        services.answer_request(
            restriction,
            by=self.coordinator,
            answer="Restricted while the GP's letter is checked.",
        )
        services.lift_restriction(restriction.restriction, by=self.coordinator)
        in_time = services.record_breach(
            self.cooperative,
            by=self.coordinator,
            aware_at=self.at(12, 16, 40),
            nature="A week's roster with home addresses was emailed to a former carer.",
            people_categories="people cared for",
            people_count=14,
            record_categories="names, addresses, visit times",
            record_count=14,
            consequences="Addresses and the times nobody else is at home known to an outsider.",
            measures="The former carer confirmed deleting it; rosters are now sent from the "
            "app only, never as attachments.",
        )
        services.notify_authority(
            in_time, notified_at=self.at(11, 10, 15), reference="DPA-2026-0413"
        )
        services.tell_people(in_time, told_at=self.at(10, 9, 0))
        services.record_breach(
            self.cooperative,
            by=self.coordinator,
            aware_at=self.at(1, 8, 30),
            nature="A carer's phone was lost on the bus with the day's visits open.",
            people_categories="people cared for",
            people_count=6,
            record_categories="the day page: names, addresses, tasks, key safe codes",
            record_count=6,
            consequences="Entry to six homes if the codes are read.",
            measures="The login was closed; the six key safe codes are being changed.",
        )
        # Last month, late at night, a carer opened the record of someone she does not visit.
        stranger = people[-1]
        log_read(carer, stranger, "record")
        last_month = (self.today.replace(day=1) - timedelta(days=1)).replace(day=12)
        CareRecordRead.objects.filter(pk=CareRecordRead.objects.latest("pk").pk).update(
            at=timezone.make_aware(datetime.combine(last_month, time(23, 10)))
        )
        return {
            "rights_requests": RightsRequest.objects.filter(cooperative=self.cooperative).count(),
            "breaches": PersonalDataBreach.objects.filter(cooperative=self.cooperative).count(),
        }
