"""After training: vacancies, recommendations and trending jobs, and the job board's port."""
