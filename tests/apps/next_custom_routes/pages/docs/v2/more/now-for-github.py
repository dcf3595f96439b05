def page(props):
    return "hi there"
