def page(props):
    return "home"
