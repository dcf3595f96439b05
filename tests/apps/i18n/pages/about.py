def page(props):
    return "about (static)"
