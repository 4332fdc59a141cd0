//! Decision 766/QĐ-TTg as the national portal scores it (docs/statistics.md gives the sources):
//! six groups, 100 points. An indicator's points are full when its ratio reaches the target,
//! else ratio ÷ target × points; an indicator without a target is scored on a straight line
//! (target 100 %). Indicators this center's data cannot measure are listed with the reason and
//! never counted, neither as zero nor as full.

use serde::{Deserialize, Serialize};

use super::{Figures, hundredths};

/// The six groups and their points.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray)]
pub enum Group {
    Transparency,
    Progress,
    OnlineService,
    OnlinePayment,
    Satisfaction,
    Digitisation,
}

impl Group {
    pub fn points(self) -> i64 {
        match self {
            Group::Transparency => 18,
            Group::Progress => 20,
            Group::OnlineService => 12,
            Group::OnlinePayment => 10,
            Group::Satisfaction => 18,
            Group::Digitisation => 22,
        }
    }
}

/// The indicators, by the portal's numbers ("4.6" is ours: the portal lists electronic certified
/// copies without a number).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, strum::VariantArray)]
pub enum Number {
    N1_1,
    N1_2,
    N1_3,
    N1_4,
    N2_1,
    N3_1,
    N3_2,
    N3_3,
    N3_5,
    N3_5b,
    N3_6,
    N5_2,
    N5_3,
    N5_4,
    N4_1,
    N4_2,
    N4_3,
    N4_4,
    N4_5a,
    N4_5b,
    N4_6,
}

impl Number {
    /// As the portal writes it.
    pub fn label(self) -> &'static str {
        match self {
            Number::N1_1 => "1.1",
            Number::N1_2 => "1.2",
            Number::N1_3 => "1.3",
            Number::N1_4 => "1.4",
            Number::N2_1 => "2.1",
            Number::N3_1 => "3.1",
            Number::N3_2 => "3.2",
            Number::N3_3 => "3.3",
            Number::N3_5 => "3.5",
            Number::N3_5b => "3.5b",
            Number::N3_6 => "3.6",
            Number::N5_2 => "5.2",
            Number::N5_3 => "5.3",
            Number::N5_4 => "5.4",
            Number::N4_1 => "4.1",
            Number::N4_2 => "4.2",
            Number::N4_3 => "4.3",
            Number::N4_4 => "4.4",
            Number::N4_5a => "4.5a",
            Number::N4_5b => "4.5b",
            Number::N4_6 => "4.6",
        }
    }
}

/// Why an indicator is not measured here.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum NotMeasured {
    /// Judged on the national procedure database, not on this center's dossiers.
    NationalCatalogue,
    /// Needs the dossiers' states synchronised with the national portal.
    NoPortalSync,
    /// The center takes no payment online.
    NoOnlinePayment,
    /// Complaints and petitions (phản ánh, kiến nghị) are handled in another system.
    NoPetitionSystem,
    /// A result counts only when issued electronically, digitally signed.
    NoElectronicResult,
    /// Electronic certified copies are not offered yet.
    NoElectronicCopies,
    /// Needs links to the national population database or the citizens' data stores.
    NoDataConnection,
}

/// One indicator: what it is, and its ratio when measured.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Indicator {
    pub number: Number,
    pub group: Group,
    pub points: i64,
    /// Hundredths of a per cent: full points from here on (10 000 when scored on a line).
    pub target: i64,
    pub measure: Result<Ratio, NotMeasured>,
}

/// A measured ratio: numerator and denominator, and the ratio in hundredths of a per cent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ratio {
    pub part: i64,
    pub whole: i64,
    /// None when there is no denominator (nothing to score this period).
    pub value: Option<i64>,
}

impl Ratio {
    fn of(part: i64, whole: i64) -> Ratio {
        Ratio {
            part,
            whole,
            value: hundredths(part, whole),
        }
    }
}

/// Points in hundredths: full at the target, else ratio ÷ target × points (cut, not rounded).
pub fn points(ratio: i64, target: i64, points: i64) -> i64 {
    points * 100 * ratio.clamp(0, target) / target
}

impl Indicator {
    /// Its points in hundredths, when measured and defined this period.
    pub fn score(&self) -> Option<i64> {
        let ratio = self.measure.ok()?.value?;
        Some(points(ratio, self.target, self.points))
    }
}

const LINE: i64 = 10_000;

/// The 766 indicators for `figures` (a period's whole report).
pub fn indicators(figures: &Figures, received_online: i64) -> Vec<Indicator> {
    use Group::*;
    use NotMeasured::*;
    let f = &figures.flows;
    // Processed in the period: resolved with a due date, and in progress at its end.
    let processed =
        f.resolved_early + f.resolved_on_time + f.resolved_late + figures.end.in_progress;
    let in_time =
        f.resolved_early + f.resolved_on_time + figures.end.in_progress - figures.end.overdue;
    let late = f.resolved_late + figures.end.overdue;
    // 100 % − (late % + not satisfied %), each over the dossiers processed, never below 0.
    let satisfaction = hundredths(late, processed)
        .zip(hundredths(f.ratings.not_satisfied, processed))
        .map(|(late, unhappy)| (LINE - late - unhappy).max(0));
    let indicator = |number, group, points, target, measure| Indicator {
        number,
        group,
        points,
        target,
        measure,
    };
    vec![
        indicator(Number::N1_1, Transparency, 6, LINE, Err(NationalCatalogue)),
        indicator(Number::N1_2, Transparency, 4, LINE, Err(NationalCatalogue)),
        indicator(Number::N1_3, Transparency, 2, LINE, Err(NationalCatalogue)),
        indicator(Number::N1_4, Transparency, 6, LINE, Err(NoPortalSync)),
        indicator(
            Number::N2_1,
            Progress,
            20,
            LINE,
            Ok(Ratio::of(in_time, processed)),
        ),
        indicator(
            Number::N3_1,
            OnlineService,
            2,
            8_000,
            Err(NationalCatalogue),
        ),
        indicator(Number::N3_2, OnlineService, 4, LINE, Err(NationalCatalogue)),
        indicator(
            Number::N3_3,
            OnlineService,
            6,
            5_000,
            Ok(Ratio::of(received_online, f.received)),
        ),
        indicator(Number::N3_5, OnlinePayment, 2, 8_000, Err(NoOnlinePayment)),
        indicator(Number::N3_5b, OnlinePayment, 2, 8_000, Err(NoOnlinePayment)),
        indicator(Number::N3_6, OnlinePayment, 6, LINE, Err(NoOnlinePayment)),
        indicator(Number::N5_2, Satisfaction, 6, LINE, Err(NoPetitionSystem)),
        indicator(Number::N5_3, Satisfaction, 6, LINE, Err(NoPetitionSystem)),
        indicator(
            Number::N5_4,
            Satisfaction,
            6,
            9_000,
            Ok(Ratio {
                part: processed - late - f.ratings.not_satisfied,
                whole: processed,
                value: satisfaction,
            }),
        ),
        indicator(Number::N4_1, Digitisation, 6, LINE, Err(NoElectronicResult)),
        indicator(
            Number::N4_2,
            Digitisation,
            4,
            8_000,
            Ok(Ratio::of(f.received_digitised, f.received)),
        ),
        indicator(Number::N4_3, Digitisation, 2, 8_000, Err(NoDataConnection)),
        indicator(Number::N4_4, Digitisation, 4, LINE, Err(NoDataConnection)),
        indicator(Number::N4_5a, Digitisation, 2, LINE, Err(NoDataConnection)),
        indicator(Number::N4_5b, Digitisation, 2, LINE, Err(NoDataConnection)),
        indicator(Number::N4_6, Digitisation, 2, LINE, Err(NoElectronicCopies)),
    ]
}

/// A group's points: what was scored and out of how many measured points (hundredths).
pub fn group_score(indicators: &[Indicator], group: Group) -> (i64, i64) {
    indicators
        .iter()
        .filter(|i| i.group == group)
        .filter_map(|i| i.score().map(|score| (score, i.points * 100)))
        .fold((0, 0), |(s, m), (score, max)| (s + score, m + max))
}

/// The score of every measured indicator and their points (hundredths): what the center can be
/// judged on here, out of how much.
pub fn measured_score(indicators: &[Indicator]) -> (i64, i64) {
    <Group as strum::VariantArray>::VARIANTS
        .iter()
        .map(|&group| group_score(indicators, group))
        .fold((0, 0), |(s, m), (score, max)| (s + score, m + max))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::statistics::{Flows, RatingCounts, Stock};
    use strum::VariantArray;

    #[test]
    fn full_points_at_the_target_else_in_proportion() {
        assert_eq!(points(9_000, 9_000, 6), 600);
        assert_eq!(points(9_500, 9_000, 6), 600);
        // 45 % of a 90 % target: half the points.
        assert_eq!(points(4_500, 9_000, 6), 300);
        // 95.59 % on a straight line of 20 points: 19.118 → 19.11.
        assert_eq!(points(9_559, LINE, 20), 1_911);
        // 40 % online, target 50 %, 6 points: 4.8.
        assert_eq!(points(4_000, 5_000, 6), 480);
        assert_eq!(points(0, 8_000, 4), 0);
    }

    #[test]
    fn every_group_adds_up_to_its_points_and_the_whole_to_100() {
        let all = indicators(&Figures::default(), 0);
        for &group in Group::VARIANTS {
            let sum: i64 = all
                .iter()
                .filter(|i| i.group == group)
                .map(|i| i.points)
                .sum();
            assert_eq!(sum, group.points(), "{group:?}");
        }
        assert_eq!(Group::VARIANTS.iter().map(|g| g.points()).sum::<i64>(), 100);
    }

    #[test]
    fn the_indicators_on_a_hand_counted_month() {
        // 200 received (80 online, 180 digitised); 150 resolved: 100 early, 40 on time, 10
        // late; 50 in progress at the end, 5 of them overdue; 4 forms not satisfied.
        let figures = Figures {
            carried: Stock::default(),
            flows: Flows {
                received: 200,
                received_digitised: 180,
                resolved_early: 100,
                resolved_on_time: 40,
                resolved_late: 10,
                ratings: RatingCounts {
                    forms: 60,
                    satisfied: 56,
                    not_satisfied: 4,
                    ..RatingCounts::default()
                },
                ..Flows::default()
            },
            end: Stock {
                in_progress: 50,
                overdue: 5,
                awaiting_intake: 3,
            },
        };
        let all = indicators(&figures, 80);
        let find = |number| all.iter().find(|i| i.number == number).unwrap();
        // 2.1: (140 + 45) / 200 = 92.5 % → 18.5 of 20.
        let progress = find(Number::N2_1);
        assert_eq!(progress.measure.unwrap().value, Some(9_250));
        assert_eq!(progress.score(), Some(1_850));
        // 3.3: 80 / 200 = 40 %, target 50 % → 4.8 of 6.
        assert_eq!(find(Number::N3_3).score(), Some(480));
        // 4.2: 180 / 200 = 90 %, target 80 % → all 4.
        assert_eq!(find(Number::N4_2).score(), Some(400));
        // 5.4: 100 % − (15 / 200 = 7.5 %) − (4 / 200 = 2 %) = 90.5 % ≥ 90 % → all 6.
        let satisfaction = find(Number::N5_4);
        assert_eq!(satisfaction.measure.unwrap().value, Some(9_050));
        assert_eq!(satisfaction.score(), Some(600));
        assert_eq!(find(Number::N1_4).score(), None, "not measured is not zero");
        assert_eq!(group_score(&all, Group::Progress), (1_850, 2_000));
        assert_eq!(group_score(&all, Group::OnlinePayment), (0, 0));
        assert_eq!(group_score(&all, Group::Satisfaction), (600, 600));
        assert_eq!(measured_score(&all), (1_850 + 480 + 400 + 600, 3_600));
    }

    #[test]
    fn a_month_without_dossiers_scores_nothing_rather_than_zero() {
        let all = indicators(&Figures::default(), 0);
        assert!(all.iter().all(|i| i.score().is_none()));
    }

    #[test]
    fn satisfaction_never_goes_below_zero() {
        let figures = Figures {
            flows: Flows {
                resolved_late: 10,
                ratings: RatingCounts {
                    forms: 10,
                    not_satisfied: 10,
                    ..RatingCounts::default()
                },
                ..Flows::default()
            },
            ..Figures::default()
        };
        let all = indicators(&figures, 0);
        let satisfaction = all.iter().find(|i| i.number == Number::N5_4).unwrap();
        assert_eq!(satisfaction.measure.unwrap().value, Some(0));
        assert_eq!(satisfaction.score(), Some(0));
    }
}
