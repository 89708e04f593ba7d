-- /deputy: the city's livelihood items (those a deputy group supervises) by deadline, one page.
SELECT id, code, title, kind, jurisdiction_id, lead_department_id, deadline, status, phase, progress, last_reported_on, next_milestone_due
FROM initiatives WHERE jurisdiction_id = :city AND kind = 'Livelihood' ORDER BY deadline, id LIMIT 50;
