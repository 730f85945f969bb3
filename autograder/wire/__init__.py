"""The boundary between a student's kernel and the grader: what the kernel answers
(kernel_side, sent into the kernel as source) and how the grader reads it (plain)."""
