def page(props):
    return "hello world"
