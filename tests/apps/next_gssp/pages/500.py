"""Next's pages/500.js."""


def page(props):
    return "custom pages/500"
