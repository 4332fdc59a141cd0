//! The words of the staff pages.

use super::StaffTexts;
use crate::domain::back_office::{Action, QueueSort, Role, Todo};
use crate::domain::procedure::ChannelKind;
use crate::domain::working_days::Holiday;

impl StaffTexts {
    pub fn todo(&self, todo: Todo) -> &'static str {
        match todo {
            Todo::WaitingIntake => self.todo_intake,
            Todo::SupplementSent => self.todo_supplement_sent,
            Todo::ReadyToHandOver => self.todo_ready,
            Todo::DueSoon => self.due_soon,
            Todo::Overdue => self.overdue,
        }
    }

    pub fn sort(&self, sort: QueueSort) -> &'static str {
        match sort {
            QueueSort::Newest => self.sort_newest,
            QueueSort::DueFirst => self.sort_due_first,
        }
    }

    pub fn role(&self, role: Role) -> &'static str {
        let words = self.roles;
        match role {
            Role::Clerk => words.clerk,
            Role::Specialist => words.specialist,
            Role::Admin => words.admin,
            Role::Province => words.province,
        }
    }

    pub fn notice_kind(&self, kind: crate::domain::notifications::NoticeKind) -> &'static str {
        use crate::domain::notifications::NoticeKind;
        let words = self.notice_kinds;
        match kind {
            NoticeKind::Received => words.received,
            NoticeKind::Accepted => words.accepted,
            NoticeKind::Refused => words.refused,
            NoticeKind::Processing => words.processing,
            NoticeKind::SupplementRequested => words.supplement,
            NoticeKind::FeeRequested => words.fee,
            NoticeKind::Withdrawn => words.withdrawn,
            NoticeKind::Stopped => words.stopped,
            NoticeKind::ResultReady => words.result_ready,
            NoticeKind::HandedOver => words.handed_over,
            NoticeKind::Apology => words.apology,
            NoticeKind::SupplementReminder => words.supplement_reminder,
        }
    }

    pub fn action(&self, action: Action) -> &'static str {
        let words = self.actions;
        match action {
            Action::ViewQueue => words.view_queue,
            Action::Accept => words.accept,
            Action::Refuse => words.refuse,
            Action::CounterIntake => words.counter_intake,
            Action::HandOver => words.hand_over,
            Action::PassOn => words.pass_on,
            Action::StartProcessing => words.start_processing,
            Action::RequestSupplement => words.request_supplement,
            Action::RequestFee => words.request_fee,
            Action::MarkResultReady => words.mark_result_ready,
            Action::Stop => words.stop,
            Action::Apologise => words.apologise,
            Action::ManageUsers => words.manage_users,
            Action::ManageHolidays => words.manage_holidays,
            Action::ManageCaveats => words.manage_caveats,
            Action::ManageCenters => words.manage_centers,
            Action::ResendMessage => words.resend_message,
            Action::ManageProcedures => words.manage_procedures,
            Action::Certify => words.certify,
            Action::AnnulCopy => words.annul_copy,
        }
    }

    pub fn holiday(&self, holiday: Holiday) -> &'static str {
        let words = self.holidays;
        match holiday {
            Holiday::NewYear => words.new_year,
            Holiday::Tet => words.tet,
            Holiday::HungKings => words.hung_kings,
            Holiday::Reunification => words.reunification,
            Holiday::Labour => words.labour,
            Holiday::NationalDay => words.national_day,
        }
    }

    pub fn channel(&self, channel: ChannelKind) -> &'static str {
        let words = self.channels;
        match channel {
            ChannelKind::Counter => words.counter,
            ChannelKind::Online => words.online,
            ChannelKind::Postal => words.postal,
        }
    }
}
