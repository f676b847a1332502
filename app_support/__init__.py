"""Logic behind the Streamlit app (app.py): query results turned into tables and figures.

Every module here is plain Python over a GraphStore and is tested without Streamlit;
app.py only lays out widgets and calls these functions.
"""
