//! The words of the period report: its figures, channels and the Decision 766 indicators.

use super::StatsTexts;
use crate::domain::statistics::decision_766::{Group, NotMeasured, Number};
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

    pub fn indicator(&self, number: Number) -> &'static str {
        let words = self.indicators;
        match number {
            Number::N1_1 => words.i1_1,
            Number::N1_2 => words.i1_2,
            Number::N1_3 => words.i1_3,
            Number::N1_4 => words.i1_4,
            Number::N2_1 => words.i2_1,
            Number::N3_1 => words.i3_1,
            Number::N3_2 => words.i3_2,
            Number::N3_3 => words.i3_3,
            Number::N3_5 => words.i3_5,
            Number::N3_5b => words.i3_5b,
            Number::N3_6 => words.i3_6,
            Number::N5_2 => words.i5_2,
            Number::N5_3 => words.i5_3,
            Number::N5_4 => words.i5_4,
            Number::N4_1 => words.i4_1,
            Number::N4_2 => words.i4_2,
            Number::N4_3 => words.i4_3,
            Number::N4_4 => words.i4_4,
            Number::N4_5a => words.i4_5a,
            Number::N4_5b => words.i4_5b,
            Number::N4_6 => words.i4_6,
        }
    }

    /// An indicator's number and name, as the page and the spreadsheet list it.
    pub fn indicator_line(&self, number: Number) -> String {
        format!("{} {}", number.label(), self.indicator(number))
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
