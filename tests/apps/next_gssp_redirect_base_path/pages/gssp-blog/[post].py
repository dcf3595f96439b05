"""Next's pages/gssp-blog/[post].js: a slug starting with "redir" redirects. The destination
is /404, or `dest-<path with _ for />`, or https://example.vercel.sh for `dest-external`;
`statusCode-<n>` gives the status, "permanent" makes it permanent, else it is temporary
unless a status is given; `no-basepath-` sets `base_path: False`. The page must never
render for a redirect."""

import json

from pagemill.html import p


def get_server_side_props(ctx):
    post = ctx.params["post"]
    if not post.startswith("redir"):
        return {"props": {"params": ctx.params}}
    destination = "/404"
    if "dest-external" in post:
        destination = "https://example.vercel.sh"
    elif "dest-" in post:
        destination = post.split("dest-")[-1].replace("_", "/")
    redirect = {"destination": destination}
    if "statusCode-" in post:
        redirect["status_code"] = int(post.split("statusCode-")[-1].split("-")[0])
    if "permanent" in post:
        redirect["permanent"] = True
    elif "status_code" not in redirect:
        redirect["permanent"] = False
    if "no-basepath-" in post:
        redirect["base_path"] = False
    return {"redirect": redirect}


def page(props):
    if props.get("params", {}).get("post", "").startswith("redir"):
        raise AssertionError("render should not occur for redirect")
    return [p(id="gssp")["getServerSideProps"], p(id="props")[json.dumps(props)]]
