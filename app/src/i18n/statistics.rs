//! The words of the statistics page, its CSV and the Decision 766 summary.

use super::StatsTexts;
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

    /// The label of a figure.
    pub fn figure(&self, figure: Figure) -> &'static str {
        let words = self.figures;
        match figure {
            Figure::Received => words.received,
            Figure::Counter => words.counter,
            Figure::Online => words.online,
            Figure::Postal => words.postal,
            Figure::OnlineShare => words.online_share,
            Figure::Digitised => words.digitised,
            Figure::DigitisedShare => words.digitised_share,
            Figure::Resolved => words.resolved,
            Figure::Early => words.early,
            Figure::OnTime => words.on_time,
            Figure::Late => words.late,
            Figure::InTimeRate => words.in_time_rate,
            Figure::InProgress => words.in_progress,
            Figure::InProgressOnTime => words.in_progress_on_time,
            Figure::InProgressOverdue => words.in_progress_overdue,
            Figure::Withdrawn => words.withdrawn,
            Figure::Refused => words.refused,
            Figure::Stopped => words.stopped,
            Figure::Ratings => words.ratings,
            Figure::Satisfied => words.satisfied,
            Figure::SatisfactionRate => words.satisfaction_rate,
            Figure::SatisfactionPoints => words.satisfaction_points,
            Figure::AverageOverall => words.average_overall,
            Figure::AverageCounterVisits => words.average_counter_visits,
            Figure::AverageAgenciesContacted => words.average_agencies_contacted,
            Figure::AverageStaffAttitude => words.average_staff_attitude,
            Figure::AverageOnlineEase => words.average_online_ease,
        }
    }
}
