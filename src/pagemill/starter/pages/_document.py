"""The document shell: extra <head> content for every page."""

from pagemill.html import link

head = link(rel="stylesheet", href="/styles.css")
