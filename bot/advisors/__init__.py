"""Personal advisors that ask a few questions in turn: the support check (support_form)
and the career interest quiz (quiz). Both are pure: the chat layer keeps their state in
slots and relays each answer."""
