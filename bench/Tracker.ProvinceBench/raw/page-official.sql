-- /official: the department's active items by deadline, one page, and its counts (overdue, due within 14 days).
SELECT id, code, title, kind, jurisdiction_id, lead_department_id, deadline, status, phase, progress, last_reported_on, next_milestone_due
FROM initiatives WHERE lead_department_id = :dept AND status IN ('Planned', 'InProgress') ORDER BY deadline, id LIMIT 50;
SELECT count(*) FILTER (WHERE deadline < :today), count(*) FILTER (WHERE deadline >= :today AND deadline < :today::date + 14)
FROM initiatives WHERE lead_department_id = :dept AND status IN ('Planned', 'InProgress');
