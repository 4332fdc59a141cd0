//! The words of the status page: timeline, what to do next, withdrawal, rating.

use super::TrackingTexts;
use crate::domain::lifecycle::{Status, Timeliness};

impl TrackingTexts {
    pub fn timeliness(&self, timeliness: Timeliness) -> Option<&'static str> {
        let words = self.timeliness_labels;
        match timeliness {
            Timeliness::OnTime => Some(words.on_time),
            Timeliness::DueSoon => Some(words.due_soon),
            Timeliness::Overdue => Some(words.overdue),
            Timeliness::NotApplicable => None,
        }
    }

    /// What the citizen should do, by status code.
    pub fn next_step(&self, status: Status) -> &'static str {
        by_status!(self.next_steps, status)
    }
}
