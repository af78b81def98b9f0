//! The man page and the shell completions, written from the command-line definition itself
//! (`Cli::command()`), so an option added there reaches them without being listed anywhere
//! else. The packages run `mqscope --generate man` (and `bash`, `zsh`, `fish`) when they are
//! built; see `packaging/README.md`.

use std::io::{self, Write};

use clap::CommandFactory as _;
use clap_mangen::roff::{Roff, bold, italic, roman};

use super::Cli;

/// The date of this version's release, as the man page's footer and the AppStream metainfo's
/// `<release>` give it (a test checks they agree).
pub const RELEASE_DATE: &str = "2026-12-02";

/// What `--generate` writes to standard output.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Generated {
    /// The man page, `mqscope.1` (roff)
    Man,
    /// Bash completions
    Bash,
    /// Zsh completions
    Zsh,
    /// Fish completions
    Fish,
    /// Elvish completions
    Elvish,
    /// PowerShell completions
    Powershell,
}

/// Write `what` for the command line as `Cli` defines it.
pub fn write(what: Generated, out: &mut dyn Write) -> io::Result<()> {
    let command = Cli::command();
    let name = command.get_name().to_owned();
    let shell = match what {
        Generated::Man => return man_page(command, out),
        Generated::Bash => clap_complete::Shell::Bash,
        Generated::Zsh => clap_complete::Shell::Zsh,
        Generated::Fish => clap_complete::Shell::Fish,
        Generated::Elvish => clap_complete::Shell::Elvish,
        Generated::Powershell => clap_complete::Shell::PowerShell,
    };
    let mut command = without_hidden(&command);
    clap_complete::generate(shell, &mut command, name, out);
    Ok(())
}

/// `command` with its hidden options and subcommands left out, at every depth: clap_complete
/// offers hidden options (`--generate` itself) as readily as the others.
fn without_hidden(command: &clap::Command) -> clap::Command {
    let mut shown = clap::Command::new(command.get_name().to_owned())
        .args(command.get_arguments().filter(|arg| !arg.is_hide_set()).cloned())
        .subcommands(
            command
                .get_subcommands()
                .filter(|sub| !sub.is_hide_set())
                .map(without_hidden),
        );
    if let Some(version) = command.get_version() {
        shown = shown.version(version.to_owned());
    }
    if let Some(about) = command.get_about() {
        shown = shown.about(about.clone());
    }
    shown
}

/// clap_mangen's page (name, synopsis, description, options with their environment variables,
/// subcommands if any, version) with what the options do not say put before the version: the
/// files mqscope keeps and how to see its log.
fn man_page(command: clap::Command, out: &mut dyn Write) -> io::Result<()> {
    let mut page = Vec::new();
    let extra = extra_sections(&command).render();
    clap_mangen::Man::new(command)
        .date(RELEASE_DATE)
        .manual("User Commands")
        .render(&mut page)?;
    let page = String::from_utf8_lossy(&page);
    // Both renderings start with the same preamble (how to typeset apostrophes); keep one.
    let extra = extra.find(".SH").map_or(extra.as_str(), |at| &extra[at..]);
    let (before, after) = page
        .find("\n.SH VERSION")
        .map_or((&*page, ""), |at| page.split_at(at + 1));
    out.write_all(before.as_bytes())?;
    out.write_all(extra.as_bytes())?;
    out.write_all(after.as_bytes())
}

/// The FILES and ENVIRONMENT sections (Linux paths; other systems use their own directories).
fn extra_sections(command: &clap::Command) -> Roff {
    let mut roff = Roff::new();
    roff.control("SH", ["FILES"]);
    let files = [
        ("~/.config/mqscope/profiles.json", "connection profiles"),
        (
            "~/.config/mqscope/messages.json",
            "saved messages and the publish history",
        ),
        ("~/.config/mqscope/settings.json", "settings"),
        (
            "~/.local/share/mqscope/app.ron",
            "the window's size and position, panel widths and open sections",
        ),
    ];
    for (path, what) in files {
        roff.control("TP", []);
        roff.text([italic(path)]);
        roff.text([roman(what)]);
    }
    roff.control("PP", []);
    roff.text([roman(
        "Files are written atomically; a damaged one is set aside as NAME.bad-TIMESTAMP.json and \
         mqscope starts anyway. Passwords kept in the OS keyring are filed under the service ",
    )]);
    roff.text([bold("mqscope"), roman(".")]);
    for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
        subcommand_section(&mut roff, command.get_name(), sub);
    }
    roff.control("SH", ["ENVIRONMENT"]);
    for arg in command.get_arguments().filter(|arg| !arg.is_hide_set()) {
        let (Some(variable), Some(long)) = (arg.get_env(), arg.get_long()) else {
            continue;
        };
        roff.control("TP", []);
        roff.text([bold(variable.to_string_lossy())]);
        roff.text([roman("The same as "), bold(format!("--{long}")), roman(".")]);
    }
    roff.control("TP", []);
    roff.text([bold("RUST_LOG")]);
    roff.text([roman(
        "What is logged to standard error, for example mqscope=debug (the default is mqscope=info,warn).",
    )]);
    roff
}

/// A subcommand's own section: what it does, its arguments and options (clap_mangen lists a
/// subcommand by name only).
fn subcommand_section(roff: &mut Roff, program: &str, sub: &clap::Command) {
    let name = format!("{program} {}", sub.get_name());
    let title = name.to_uppercase();
    roff.control("SH", [title.as_str()]);
    let mut synopsis = vec![bold(name)];
    for arg in sub.get_arguments().filter(|arg| arg.is_positional()) {
        let value = arg
            .get_value_names()
            .and_then(|v| v.first())
            .map_or("ARG", |v| v.as_str());
        synopsis.push(roman(" "));
        synopsis.push(italic(value.to_owned()));
    }
    synopsis.push(roman(" [OPTIONS]"));
    roff.text(synopsis);
    if let Some(about) = sub.get_long_about().or(sub.get_about()) {
        roff.control("PP", []);
        roff.text([roman(about.to_string())]);
    }
    for arg in sub.get_arguments().filter(|arg| !arg.is_hide_set()) {
        let value = arg.get_value_names().and_then(|v| v.first()).map(|v| v.to_string());
        let mut term = Vec::new();
        if let Some(short) = arg.get_short() {
            term.push(bold(format!("-{short}")));
            term.push(roman(", "));
        }
        match (arg.get_long(), &value) {
            (Some(long), Some(value)) if arg.get_action().takes_values() => {
                term.push(bold(format!("--{long}")));
                term.push(roman(" "));
                term.push(italic(value.clone()));
            }
            (Some(long), _) => term.push(bold(format!("--{long}"))),
            (None, Some(value)) => term.push(italic(value.clone())),
            (None, None) => term.push(italic(arg.get_id().to_string())),
        }
        roff.control("TP", []);
        roff.text(term);
        let help = arg
            .get_long_help()
            .or(arg.get_help())
            .map(ToString::to_string)
            .unwrap_or_default();
        roff.text([roman(help)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn generated(what: Generated) -> String {
        let mut bytes = Vec::new();
        write(what, &mut bytes).expect("writes to memory");
        String::from_utf8(bytes).expect("UTF-8")
    }

    /// Every command (the top one and its subcommands, at any depth) with the path to it.
    fn commands(command: &clap::Command, path: &str, all: &mut Vec<(String, clap::Command)>) {
        all.push((path.to_owned(), command.clone()));
        for sub in command.get_subcommands().filter(|sub| !sub.is_hide_set()) {
            commands(sub, &format!("{path} {}", sub.get_name()), all);
        }
    }

    /// The options a user can type (clap's own --help and --version included), as
    /// `(long, short)` names, of `command` alone.
    fn options(command: &clap::Command) -> Vec<(Option<String>, Option<char>)> {
        let mut command = command.clone();
        command.build();
        command
            .get_arguments()
            .filter(|arg| !arg.is_hide_set() && !arg.is_positional())
            .map(|arg| (arg.get_long().map(str::to_owned), arg.get_short()))
            .collect()
    }

    fn every_command() -> Vec<(String, clap::Command)> {
        let mut top = Cli::command();
        top.build();
        let mut all = Vec::new();
        commands(&top, "mqscope", &mut all);
        all
    }

    #[test]
    fn the_man_page_mentions_every_option_and_subcommand() {
        let page = generated(Generated::Man);
        // roff writes a dash as "\-".
        let plain = page.replace("\\-", "-");
        let mut checked = 0;
        for (path, command) in every_command() {
            // A subcommand has a section of its own, with its options.
            if path != "mqscope" {
                let name = path.rsplit(' ').next().unwrap_or(&path);
                assert!(plain.contains(name), "the man page does not name the subcommand {path}");
                if path.split(' ').any(|word| word == "help") {
                    // clap's own, said in one line.
                    continue;
                }
                assert!(
                    plain.contains(&format!(".SH \"{}\"", path.to_uppercase())),
                    "the man page has no section for {path}"
                );
            }
            for (long, short) in options(&command) {
                if let Some(long) = long {
                    assert!(
                        plain.contains(&format!("--{long}")),
                        "the man page does not mention --{long}"
                    );
                    checked += 1;
                }
                if let Some(short) = short {
                    assert!(
                        plain.contains(&format!("-{short}")),
                        "the man page does not mention -{short}"
                    );
                }
            }
        }
        assert!(
            checked >= 3,
            "the command line has options to check ({checked} checked)"
        );
        assert!(page.contains("\n.TH mqscope 1 "), "a man page of section 1:\n{page}");
        assert_eq!(
            page.matches(".ds Aq").count(),
            2,
            "one apostrophe preamble (its two lines):\n{page}"
        );
        assert!(
            plain.contains("profiles.json"),
            "the man page names the files mqscope keeps"
        );
        for arg in Cli::command().get_arguments().filter(|arg| !arg.is_hide_set()) {
            if let Some(variable) = arg.get_env() {
                let variable = variable.to_string_lossy();
                assert!(plain.contains(&*variable), "the man page does not mention ${variable}");
            }
        }
    }

    #[test]
    fn each_shell_completes_every_option_of_every_command() {
        for (what, long_form, short_form) in [
            (Generated::Bash, "--{}", "-{}"),
            (Generated::Zsh, "--{}", "-{}"),
            (Generated::Fish, "-l {}", "-s {}"),
            (Generated::Elvish, "--{}", "-{}"),
            (Generated::Powershell, "--{}", "-{}"),
        ] {
            let script = generated(what);
            for (path, command) in every_command() {
                if path != "mqscope" {
                    let name = path.rsplit(' ').next().unwrap_or(&path);
                    assert!(
                        script.contains(name),
                        "{what:?} completions do not offer the subcommand {path}"
                    );
                }
                for (long, short) in options(&command) {
                    if let Some(long) = long {
                        let form = long_form.replace("{}", &long);
                        assert!(
                            script.contains(&form),
                            "{what:?} completions of {path} do not offer {form}"
                        );
                    }
                    if let Some(short) = short {
                        let form = short_form.replace("{}", &short.to_string());
                        assert!(
                            script.contains(&form),
                            "{what:?} completions of {path} do not offer {form}"
                        );
                    }
                }
            }
        }
    }

    #[test]
    fn the_generator_option_is_kept_out_of_the_help_the_man_page_and_the_completions() {
        let page = generated(Generated::Man).replace("\\-", "-");
        assert!(
            !page.contains("--generate"),
            "--generate is for packaging, not for users"
        );
        for what in [
            Generated::Bash,
            Generated::Zsh,
            Generated::Fish,
            Generated::Elvish,
            Generated::Powershell,
        ] {
            assert!(
                !generated(what).contains("generate"),
                "{what:?} completions offer --generate"
            );
        }
        let help = Cli::command().render_long_help().to_string();
        assert!(!help.contains("--generate"), "{help}");
    }

    #[test]
    fn the_man_page_metainfo_and_debian_changelog_name_the_same_release() {
        let metainfo = include_str!("../../packaging/linux/io.github.mqscope.mqscope.metainfo.xml");
        let release = format!(
            "<release version=\"{}\" date=\"{RELEASE_DATE}\"",
            env!("CARGO_PKG_VERSION")
        );
        assert!(metainfo.contains(&release), "the metainfo lists {release}");
        assert!(generated(Generated::Man).contains(RELEASE_DATE));
        let changelog = include_str!("../../packaging/linux/changelog");
        let entry = format!("mqscope ({}-1) ", env!("CARGO_PKG_VERSION"));
        assert!(
            changelog.starts_with(&entry),
            "the Debian changelog starts with {entry}"
        );
    }

    #[test]
    fn completions_name_the_program() {
        assert!(generated(Generated::Bash).contains("complete -F _mqscope"));
        assert!(generated(Generated::Zsh).starts_with("#compdef mqscope"));
        assert!(generated(Generated::Fish).contains("complete -c mqscope"));
    }
}
