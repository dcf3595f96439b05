"""Next's pages/api/[post]/comments.js: a static segment beside a dynamic one."""


def handler(req, res):
    res.status(200).json([{"message": "Prioritize a non-dynamic api page"}])
