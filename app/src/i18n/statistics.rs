//! The words of the period report: its figures, channels and the Decision 766 indicators.

use super::StatsTexts;
use crate::domain::statistics::decision_766::{Group, Indicator, NotMeasured};
use crate::domain::statistics::{Figure, PeriodKind};

impl StatsTexts {
    pub fn period_kind(&self, kind: PeriodKind) -> &'static str {
        let words = self.period_kinds;
        match kind {
            PeriodKind::Month => words.month,
            PeriodKind::Quarter => words.quarter,
            PeriodKind::Year => words.year,
            PeriodKind::Custom => words.custom,
        }
    }

    /// A channel by its national code.
    pub fn channel(&self, channel: i64) -> &'static str {
        let words = self.channel_names;
        match channel {
            2 => words.online,
            3 => words.postal,
            _ => words.counter,
        }
    }

    pub fn group(&self, group: Group) -> &'static str {
        let words = self.groups;
        match group {
            Group::Transparency => words.transparency,
            Group::Progress => words.progress,
            Group::OnlineService => words.online_service,
            Group::OnlinePayment => words.online_payment,
            Group::Satisfaction => words.satisfaction,
            Group::Digitisation => words.digitisation,
        }
    }

    pub fn indicator(&self, indicator: &Indicator) -> &'static str {
        let words = self.indicators;
        match indicator.number {
            "1.1" => words.i1_1,
            "1.2" => words.i1_2,
            "1.3" => words.i1_3,
            "1.4" => words.i1_4,
            "2.1" => words.i2_1,
            "3.1" => words.i3_1,
            "3.2" => words.i3_2,
            "3.3" => words.i3_3,
            "3.5" => words.i3_5,
            "3.5b" => words.i3_5b,
            "3.6" => words.i3_6,
            "5.2" => words.i5_2,
            "5.3" => words.i5_3,
            "5.4" => words.i5_4,
            "4.1" => words.i4_1,
            "4.2" => words.i4_2,
            "4.3" => words.i4_3,
            "4.4" => words.i4_4,
            "4.5a" => words.i4_5a,
            "4.5b" => words.i4_5b,
            _ => words.i4_6,
        }
    }

    pub fn not_measured_reason(&self, reason: NotMeasured) -> &'static str {
        let words = self.not_measured_reasons;
        match reason {
            NotMeasured::NationalCatalogue => words.national_catalogue,
            NotMeasured::NoPortalSync => words.no_portal_sync,
            NotMeasured::NoOnlinePayment => words.no_online_payment,
            NotMeasured::NoPetitionSystem => words.no_petition_system,
            NotMeasured::NoElectronicResult => words.no_electronic_result,
            NotMeasured::NoElectronicCopies => words.no_electronic_copies,
            NotMeasured::NoDataConnection => words.no_data_connection,
        }
    }

    /// The label of a figure.
    pub fn figure(&self, figure: Figure) -> &'static str {
        let words = self.figures;
        match figure {
            Figure::CarriedOver => words.carried_over,
            Figure::Received => words.received,
            Figure::ReceivedCounter => words.received_counter,
            Figure::ReceivedOnline => words.received_online,
            Figure::ReceivedPostal => words.received_postal,
            Figure::ToProcess => words.to_process,
            Figure::Resolved => words.resolved,
            Figure::ResolvedEarly => words.resolved_early,
            Figure::ResolvedOnTime => words.resolved_on_time,
            Figure::ResolvedLate => words.resolved_late,
            Figure::ResolvedUndated => words.resolved_undated,
            Figure::InTimeRate => words.in_time_rate,
            Figure::InProgress => words.in_progress,
            Figure::InProgressWithinTime => words.in_progress_within_time,
            Figure::InProgressOverdue => words.in_progress_overdue,
            Figure::Withdrawn => words.withdrawn,
            Figure::Stopped => words.stopped,
            Figure::SubmittedOnline => words.submitted_online,
            Figure::AwaitingIntake => words.awaiting_intake,
            Figure::Refused => words.refused,
            Figure::SupplementRequests => words.supplement_requests,
            Figure::WithdrawnBeforeIntake => words.withdrawn_before_intake,
            Figure::Digitised => words.digitised,
            Figure::DigitisedShare => words.digitised_share,
            Figure::OnlineShare => words.online_share,
            Figure::Ratings => words.ratings,
            Figure::Satisfied => words.satisfied,
            Figure::NotSatisfied => words.not_satisfied,
            Figure::SatisfactionRate => words.satisfaction_rate,
            Figure::AverageOverall => words.average_overall,
            Figure::AverageCounterVisits => words.average_counter_visits,
            Figure::AverageAgenciesContacted => words.average_agencies_contacted,
            Figure::AverageStaffAttitude => words.average_staff_attitude,
            Figure::AverageOnlineEase => words.average_online_ease,
        }
    }
}
