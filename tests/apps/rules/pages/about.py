def page(props):
    return "the real about page"
