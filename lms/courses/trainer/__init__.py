"""The trainer's side of courses, on the ``courses`` blueprint of lms/courses/blueprint.py: the editor,
settings, publishing and ordering (views_authoring), and revisions, preview, image upload and export
(views_revisions)."""
