"""Next's test/integration/gssp-pageProps-merge/pages/_app.js: its getInitialProps gives page
props that gSSP's props are laid over."""


async def get_initial_props(ctx):
    return {"page_props": {"hi": "override me", "hello": "world"}}
