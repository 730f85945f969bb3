"""Hidden pytest graders, one module per notebook; see autograder.judging.runner."""
