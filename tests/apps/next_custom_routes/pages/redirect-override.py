def page(props):
    return "this page is overridden by a redirect"
