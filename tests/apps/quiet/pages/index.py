def page(props):
    return "quiet static home"
