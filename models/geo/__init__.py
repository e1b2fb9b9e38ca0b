"""Chongqing geography: 区县 districts, 镇街 towns/streets, handling units, and point lookup.

Runtime modules (`crs`, `directory`, `official`, `resolver`) read the committed files in
`models/data/`; `build`, `sources`, `seats` and `service_areas` regenerate them.
"""
