-- One reminder per supplement request (issue 20): every app server looks for requests whose
-- deadline is near, and a second server's insert of the same reminder is ignored.
CREATE UNIQUE INDEX notification_messages_one_reminder
    ON notification_messages (event_id) WHERE kind = 'supplement-reminder';
