def page(props):
    return "multi-rewrites"
