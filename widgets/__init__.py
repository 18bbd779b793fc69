"""Bond Lab's interactive components: ipywidgets panels built on the bondlab engine."""
