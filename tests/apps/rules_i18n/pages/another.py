def page(props):
    return "another"
