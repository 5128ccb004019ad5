"""Work newsdesk does by itself: polling subscribed feeds on their own cadence.

Jobs call the pipeline and the store; nothing calls back into them.
"""
