"""Everything a member hears about: the notification rows, `notify()`, and their emails.

Low in the layers (above accounts, below taxonomy) so that every app that has something to
tell a member (stories' co-author invitations, moderation's validations, community's reviews
and new chapters) imports it downward.
"""
