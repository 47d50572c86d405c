-- A task may name the one start to book (`book_at`, the request's `at`): the meeting starting then, if it
-- fits the task's rules, else no_slot. Such a task has no window to look in, and once booked it is not
-- moved: a change its time no longer fits cancels it.
alter table tasks
  add column book_at timestamptz,
  add constraint tasks_book_at_alone check (book_at is null or (window_from is null and window_days is null));
