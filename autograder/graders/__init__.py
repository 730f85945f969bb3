"""Hidden pytest graders, one module per notebook; see autograder.runner."""
