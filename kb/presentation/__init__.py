"""Presentation: pictures (`plots`) and the HTML report (`report`) of analysis results."""
