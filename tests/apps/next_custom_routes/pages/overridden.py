def page(props):
    return "this page is overridden"
