"""The one router every module of the API adds its operations to: Ninja joins the methods of
one address (GET and POST /stories) only within a router. Each operation names its group in
`tags` (reading, members, authoring), as the OpenAPI document shows them."""

from ninja import Router

router = Router()
