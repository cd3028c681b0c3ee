"""How fast the shipped taxonomy classifies postings with long (2 KB+) descriptions."""

from __future__ import annotations

import random
import time

from scrapers.enrich.topics import load_taxonomy
from scrapers.models import EmploymentType, NormalizedPosting

SIZE = 2_000
MIN_DESCRIPTION = 2_500  # characters

TITLES = (
    "Member of Technical Staff",
    "Senior Software Engineer, Inference",
    "Research Scientist",
    "Staff Research Engineer, World Models",
    "Product Manager, Robotics",
    "Account Executive",
    "Principal Engineer, GPU Infrastructure",
    "Data Scientist",
    "Head of People",
    "Software Engineer Intern",
    "Lead Designer, Games",
    "Research Engineer, Post-Training",
)
TEAMS = (None, "Research", "Inference", "Sales", "Applied AI", "Robotics", "Safety")
EMPLOYMENT_TYPES: tuple[EmploymentType | None, ...] = (None, "full_time", "intern", "contract")
SENTENCES = (
    "We train frontier multimodal models and the systems that serve them.",
    "You will work across pretraining, post-training and inference.",
    "Optimize model serving: continuous batching, KV cache management and speculative "
    "decoding with vLLM and TensorRT-LLM.",
    "Develop generative interactive environments and learned simulators of the physical world.",
    "Our world-class team ships game-changing features weekly.",
    "Work on text-to-video diffusion models, improving temporal consistency and motion quality.",
    "Build reinforcement learning from human feedback pipelines and reward models.",
    "Design robotic manipulation policies for humanoid robots in the real world.",
    "Scale distributed training across thousands of GPUs with custom CUDA kernels.",
    "Partner with customers over video calls to close enterprise deals.",
    "Red-team our models, study interpretability and build alignment evaluations.",
    "Label and annotate speech, audio and image data with our data annotation vendors.",
    "Ship autonomous agents that use tools, browse the web and write code.",
    "Benefits include health insurance, a 401(k) plan, and generous parental leave.",
    "We value curiosity, ownership & kindness; everyone is welcome to apply.",
    "Experience with Kubernetes, Terraform and large-scale data pipelines is a plus.",
    "Mentor engineers, lead technical direction and own the roadmap for your area.",
    "Design chips, accelerators and the compilers that target them.",
)


def postings(size: int = SIZE, seed: int = 7) -> list[NormalizedPosting]:
    """Synthetic postings with varied long descriptions (deterministic for a seed)."""
    rng = random.Random(seed)
    out = []
    for n in range(size):
        parts: list[str] = []
        while sum(len(p) + 1 for p in parts) < MIN_DESCRIPTION:
            parts.append(rng.choice(SENTENCES))
        out.append(
            NormalizedPosting(
                external_id=str(n),
                title=f"{rng.choice(TITLES)} {n}",
                url=f"https://example.com/jobs/{n}",
                team=rng.choice(TEAMS),
                employment_type=rng.choice(EMPLOYMENT_TYPES),
                description=" ".join(parts),
            )
        )
    return out


def main() -> None:
    taxonomy = load_taxonomy()
    items = postings()
    start = time.perf_counter()
    for item in items:
        taxonomy.classify_posting(item)
    elapsed = time.perf_counter() - start
    print(
        f"classify: {SIZE} postings ({MIN_DESCRIPTION:,}+ character descriptions) in "
        f"{elapsed:.2f} s ({SIZE / elapsed:,.0f} postings/s, "
        f"{1000 * elapsed / SIZE:.2f} ms/posting)"
    )


if __name__ == "__main__":
    main()
